import NetworkGraph
import RealModule

extension FloatKernels {
  /// Gemm-13: alpha · A' · B' + beta · C, with C broadcast to [M, N].
  static func gemm(
    _ a: FloatTensor, _ b: FloatTensor, _ c: FloatTensor?,
    _ attributes: GemmAttributes,
    node: NodeReference
  ) throws(ExecutionError) -> FloatTensor {
    guard a.shape.count == 2, b.shape.count == 2 else {
      throw .shapeMismatch(tensor: node.name, message: "Gemm needs 2-D A and B")
    }
    let a2 = attributes.transA ? transposed(a) : a
    let b2 = attributes.transB ? transposed(b) : b
    var product = try matMul(a2, b2, node: node)
    if attributes.alpha != 1 {
      product.values = product.values.map { $0 * attributes.alpha }
    }
    if let c {
      guard let plan = Broadcast(product.shape, c.shape),
        plan.shape == product.shape
      else {
        throw .shapeMismatch(
          tensor: node.name, message: "C \(c.shape) does not broadcast")
      }
      for i in 0..<plan.count {
        product.values[i] += attributes.beta * c.values[plan.bIndex[i]]
      }
    }
    return product
  }

  static func transposed(_ t: FloatTensor) -> FloatTensor {
    let rows = t.shape[0]
    let cols = t.shape[1]
    // Blocks of 16 × 16, so that both the reads and the writes stay in a
    // few cache lines (a classifier's weights are megabytes).
    let out = [Float](unsafeUninitializedCapacity: t.values.count) {
      target, initialized in
      t.values.withUnsafeBufferPointer { source in
        for i0 in stride(from: 0, to: rows, by: 16) {
          for j0 in stride(from: 0, to: cols, by: 16) {
            for i in i0..<min(i0 + 16, rows) {
              for j in j0..<min(j0 + 16, cols) {
                target[j * rows + i] = source[i * cols + j]
              }
            }
          }
        }
      }
      initialized = t.values.count
    }
    return FloatTensor(unchecked: [cols, rows], values: out)
  }

  /// MaxPool (padding excluded) or AveragePool (count_include_pad from the
  /// model), and their global forms.
  static func pool(
    _ x: FloatTensor, _ attributes: PoolAttributes?, average: Bool,
    node: NodeReference
  ) throws(ExecutionError) -> FloatTensor {
    let g: ConvGeometry
    if let attributes {
      g = try ConvGeometry(
        input: x.shape, kernel: attributes.kernelShape,
        strides: attributes.strides,
        dilations: attributes.dilations, pads: attributes.pads,
        autoPad: attributes.autoPad,
        ceilMode: attributes.ceilMode, node: node)
    } else {
      guard x.shape.count == 4 else {
        throw .unsupported(
          node: node, message: "only [N, C, H, W] inputs are executed")
      }
      g = try ConvGeometry(
        input: x.shape, kernel: [x.shape[2], x.shape[3]], strides: nil,
        dilations: nil,
        pads: nil, autoPad: .notSet, ceilMode: false, node: node)
    }
    let includePad = attributes?.countIncludePad ?? false
    let padEnd = (
      padBottom(g, attributes, axis: 0), padBottom(g, attributes, axis: 1)
    )
    var out = [Float](repeating: 0, count: g.batch * g.channels * g.outputPlane)
    x.values.withUnsafeBufferPointer { input in
      var o = 0
      for plane in 0..<(g.batch * g.channels) {
        let base = plane * g.inputPlane
        for oy in 0..<g.outHeight {
          for ox in 0..<g.outWidth {
            if !average {
              // The largest input the window reads, i then j ascending.
              var best = -Float.infinity
              for i in 0..<g.kernelHeight {
                let y = oy * g.strideY - g.padTop + i * g.dilationY
                if y < 0 || y >= g.height { continue }
                for j in 0..<g.kernelWidth {
                  let xx = ox * g.strideX - g.padLeft + j * g.dilationX
                  if xx < 0 || xx >= g.width { continue }
                  best = max(best, input[base + y * g.width + xx])
                }
              }
              out[o] = best
              o += 1
              continue
            }
            var sum: Double = 0
            var counted = 0
            var padded = 0
            for i in 0..<g.kernelHeight {
              let y = oy * g.strideY - g.padTop + i * g.dilationY
              for j in 0..<g.kernelWidth {
                let xx = ox * g.strideX - g.padLeft + j * g.dilationX
                if y < 0 || y >= g.height || xx < 0 || xx >= g.width {
                  // Positions in the pad area inside the padded extent.
                  if y >= -g.padTop && y < g.height + padEnd.0
                    && xx >= -g.padLeft && xx < g.width + padEnd.1
                  {
                    padded += 1
                  }
                  continue
                }
                sum += Double(input[base + y * g.width + xx])
                counted += 1
              }
            }
            let n = includePad ? counted + padded : counted
            out[o] = n > 0 ? Float(sum / Double(n)) : 0
            o += 1
          }
        }
      }
    }
    return FloatTensor(
      unchecked: [g.batch, g.channels, g.outHeight, g.outWidth], values: out)
  }

  /// The end pad of a pooling window along an axis (for count_include_pad).
  static func padBottom(
    _ g: ConvGeometry, _ attributes: PoolAttributes?, axis: Int
  ) -> Int {
    guard let attributes else { return 0 }
    if attributes.autoPad == .sameUpper || attributes.autoPad == .sameLower {
      let input = axis == 0 ? g.height : g.width
      let out = axis == 0 ? g.outHeight : g.outWidth
      let stride = axis == 0 ? g.strideY : g.strideX
      let effective =
        axis == 0
        ? g.dilationY * (g.kernelHeight - 1) + 1
        : g.dilationX * (g.kernelWidth - 1) + 1
      let total = max(0, (out - 1) * stride + effective - input)
      let begin = axis == 0 ? g.padTop : g.padLeft
      return total - begin
    }
    guard let pads = attributes.pads, pads.count == 4 else { return 0 }
    return pads[2 + axis]
  }

  /// Element-wise Add or Mul with NumPy broadcasting.
  static func binary(
    _ a: FloatTensor, _ b: FloatTensor, multiply: Bool, node: NodeReference
  ) throws(ExecutionError) -> FloatTensor {
    guard let plan = Broadcast(a.shape, b.shape) else {
      throw .shapeMismatch(
        tensor: node.name, message: "\(a.shape) and \(b.shape) do not broadcast"
      )
    }
    if a.shape == b.shape {
      // No broadcast (a residual Add): element by element, no index plan.
      let out = [Float](unsafeUninitializedCapacity: plan.count) {
        target, initialized in
        a.values.withUnsafeBufferPointer { x in
          b.values.withUnsafeBufferPointer { y in
            for i in 0..<plan.count {
              target[i] = multiply ? x[i] * y[i] : x[i] + y[i]
            }
          }
        }
        initialized = plan.count
      }
      return FloatTensor(unchecked: plan.shape, values: out)
    }
    var out = [Float](repeating: 0, count: plan.count)
    for i in 0..<plan.count {
      let x = a.values[plan.aIndex[i]]
      let y = b.values[plan.bIndex[i]]
      out[i] = multiply ? x * y : x + y
    }
    return FloatTensor(unchecked: plan.shape, values: out)
  }

  /// Concat-13 along `axis`.
  static func concat(_ inputs: [FloatTensor], axis: Int, node: NodeReference)
    throws(ExecutionError) -> FloatTensor
  {
    let (shape, values) = try Concatenation.join(
      inputs.map { ($0.shape, $0.values) }, axis: axis, node: node)
    return FloatTensor(unchecked: shape, values: values)
  }

  /// Softmax-13 along `axis` (FIXED_POINT.md §12.3): subtract the row max,
  /// `exp` in Double, sum in index order, divide, convert to Float32.
  static func softmax(_ x: [Double], shape: [Int], axis: Int) -> [Float] {
    softmaxDouble(x, shape: shape, axis: axis).map { Float($0) }
  }

  /// Softmax in Double (before the final conversion of §12.3).
  static func softmaxDouble(_ x: [Double], shape: [Int], axis: Int) -> [Double]
  {
    let rank = shape.count
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0, a < rank else { return x }
    let length = shape[a]
    let inner = FloatTensor.count(Array(shape[(a + 1)...]))
    let outer = FloatTensor.count(Array(shape[..<a]))
    var out = [Double](repeating: 0, count: x.count)
    for o in 0..<outer {
      for i in 0..<inner {
        let base = o * length * inner + i
        var top = -Double.infinity
        for l in 0..<length { top = max(top, x[base + l * inner]) }
        var sum: Double = 0
        var exps = [Double](repeating: 0, count: length)
        for l in 0..<length {
          exps[l] = Double.exp(x[base + l * inner] - top)
          sum += exps[l]
        }
        for l in 0..<length { out[base + l * inner] = exps[l] / sum }
      }
    }
    return out
  }

  /// Element-wise activations computed in Double, for float islands and the
  /// float executor alike (Sigmoid-13, LeakyRelu-16, HardSigmoid-6,
  /// HardSwish-14, Relu, Clip).
  static func activation(
    _ op: Operator, _ x: Double, lower: Double, upper: Double
  ) -> Double {
    switch op {
    case .relu: return max(x, 0)
    case .clip: return min(max(x, lower), upper)
    case .activation(let function): return function(x)
    default: return x
    }
  }

  /// BatchNormalization-15 (inference) in Double: (x − mean)/sqrt(var + ε)·scale + B.
  static func batchNorm(
    _ x: [Double], shape: [Int], scale: [Float], bias: [Float], mean: [Float],
    variance: [Float], epsilon: Float
  ) -> [Float] {
    batchNormDouble(
      x, shape: shape, scale: scale, bias: bias, mean: mean, variance: variance,
      epsilon: epsilon
    ).map { Float($0) }
  }

  /// BatchNormalization in Double.
  static func batchNormDouble(
    _ x: [Double], shape: [Int], scale: [Float], bias: [Float], mean: [Float],
    variance: [Float], epsilon: Float
  ) -> [Double] {
    guard shape.count >= 2 else { return x }
    let channels = shape[1]
    let inner = FloatTensor.count(Array(shape[2...]))
    var out = [Double](repeating: 0, count: x.count)
    for index in x.indices {
      let c = (index / inner) % channels
      let normalized =
        (x[index] - Double(mean[c]))
        / (Double(variance[c]) + Double(epsilon)).squareRoot()
      out[index] = normalized * Double(scale[c]) + Double(bias[c])
    }
    return out
  }
}

/// Concatenation of row-major blocks along one axis, for floats and raws.
enum Concatenation {
  static func join<T>(_ inputs: [([Int], [T])], axis: Int, node: NodeReference)
    throws(ExecutionError) -> ([Int], [T])
  {
    guard let first = inputs.first else {
      throw .unsupported(node: node, message: "Concat needs an input")
    }
    let rank = first.0.count
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0, a < rank else {
      throw .unsupported(node: node, message: "axis \(axis) is out of range")
    }
    var shape = first.0
    shape[a] = 0
    for (s, _) in inputs {
      guard s.count == rank,
        (0..<rank).allSatisfy({ $0 == a || s[$0] == first.0[$0] })
      else {
        throw .shapeMismatch(
          tensor: node.name, message: "Concat inputs \(s) and \(first.0) differ"
        )
      }
      shape[a] += s[a]
    }
    let outer = FloatTensor.count(Array(first.0[..<a]))
    var out: [T] = []
    out.reserveCapacity(FloatTensor.count(shape))
    for o in 0..<outer {
      for (s, values) in inputs {
        let block = FloatTensor.count(Array(s[a...]))
        out.append(contentsOf: values[(o * block)..<((o + 1) * block)])
      }
    }
    return (shape, out)
  }
}
