import NetworkGraph

extension ExtendedOperands {
  /// ConvTranspose-11 with any number of spatial axes.
  ///
  /// X `[N, C, in…]`, W `[C, M/group, k…]`, optional B `[M]`. Each input element scatters
  /// `x · w` to output position `in·stride + k·dilation − pad_begin`; the
  /// output size is `stride·(in − 1) + output_padding + (k − 1)·dilation +
  /// 1 − pad_begin − pad_end`, or `output_shape` (and `auto_pad` SAME_*
  /// `in·stride`) with the total padding split as the specification says
  /// (the extra one at the end for SAME_UPPER, at the start otherwise).
  /// Products accumulate in Double per output element.
  func convTranspose(_ attributes: ConvTransposeAttributes)
    throws(ExecutionError) -> FloatTensor
  {
    let x = try operand(0)
    let w = try operand(1)
    let bias = optional(2)?.values
    let r = x.shape.count - 2
    let group = attributes.conv.group
    guard r >= 1, w.shape.count == r + 2, group >= 1,
      x.shape[1] == w.shape[0], w.shape[0] % group == 0
    else {
      throw .shapeMismatch(
        tensor: node.name,
        message: "weight \(w.shape) does not fit input \(x.shape)")
    }
    let (batch, channels) = (x.shape[0], x.shape[1])
    let perGroupOut = w.shape[1]
    let outChannels = perGroupOut * group
    guard bias == nil || bias?.count == outChannels else {
      throw failure("B must hold \(outChannels) values")
    }
    let input = Array(x.shape[2...])
    let kernel = Array(w.shape[2...])
    let strides = attributes.conv.strides ?? Array(repeating: 1, count: r)
    let dilations = attributes.conv.dilations ?? Array(repeating: 1, count: r)
    let extra = attributes.outputPadding ?? Array(repeating: 0, count: r)
    var pads = attributes.conv.pads ?? Array(repeating: 0, count: 2 * r)
    guard strides.count == r, dilations.count == r, extra.count == r,
      pads.count == 2 * r
    else {
      throw failure(
        "strides, dilations, output_padding or pads do not fit rank \(r)")
    }
    var output = [Int](repeating: 0, count: r)
    var wanted = attributes.outputShape
    if let shape = wanted, shape.count == r + 2 { wanted = Array(shape[2...]) }
    let same =
      attributes.conv.autoPad == .sameUpper
      || attributes.conv.autoPad == .sameLower
    for i in 0..<r {
      let full =
        strides[i] * (input[i] - 1) + extra[i] + (kernel[i] - 1) * dilations[i]
        + 1
      if wanted != nil || same {
        let size = wanted?[i] ?? input[i] * strides[i]
        let total = max(full - size, 0)
        let upper = attributes.conv.autoPad != .sameLower
        pads[i] = upper ? total / 2 : total - total / 2
        pads[i + r] = total - pads[i]
        output[i] = size
      } else {
        output[i] = full - pads[i] - pads[i + r]
      }
      guard output[i] > 0 else {
        throw failure("the output size along spatial axis \(i) is \(output[i])")
      }
    }
    // Every (input position, kernel position) pair landing in the output.
    let inputCount = FloatTensor.count(input)
    let kernelCount = FloatTensor.count(kernel)
    let outputPlane = FloatTensor.count(output)
    var pairs: [(input: Int, kernel: Int, output: Int)] = []
    for p in 0..<inputCount {
      for q in 0..<kernelCount {
        var (restP, restQ) = (p, q)
        var target = 0
        var inside = true
        var scale = 1
        for i in stride(from: r - 1, through: 0, by: -1) {
          let pi = restP % input[i]
          let qi = restQ % kernel[i]
          restP /= input[i]
          restQ /= kernel[i]
          let o = pi * strides[i] + qi * dilations[i] - pads[i]
          if o < 0 || o >= output[i] { inside = false }
          target += o * scale
          scale *= output[i]
        }
        if inside { pairs.append((p, q, target)) }
      }
    }
    let inPerGroup = channels / group
    var out = [Double](repeating: 0, count: batch * outChannels * outputPlane)
    for n in 0..<batch {
      for c in 0..<channels {
        let g = c / inPerGroup
        let xBase = (n * channels + c) * inputCount
        for m in 0..<perGroupOut {
          let wBase = (c * perGroupOut + m) * kernelCount
          let oBase = (n * outChannels + g * perGroupOut + m) * outputPlane
          for pair in pairs {
            out[oBase + pair.output] +=
              Double(x.values[xBase + pair.input])
              * Double(w.values[wBase + pair.kernel])
          }
        }
      }
    }
    if let bias {
      for index in out.indices {
        out[index] += Double(bias[(index / outputPlane) % outChannels])
      }
    }
    return FloatTensor(
      unchecked: [batch, outChannels] + output, values: out.map { Float($0) })
  }
}
