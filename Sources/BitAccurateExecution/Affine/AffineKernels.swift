import NetworkGraph

/// The integer kernels of affine execution: convolution and matrix product
/// of zero-point-shifted integers into int32 accumulators (wrapping, as
/// onnxruntime's int32 accumulation does), and requantization of those
/// accumulators per tensor or per output channel.
enum AffineKernels {
  /// `Σ (x − z_x)(w − z_w[m]) + bias[m]` for a 2-D convolution of NCHW `x`
  /// with `w [M, C/group, kH, kW]`; padding contributes `x = z_x` (a real
  /// zero), so nothing.
  static func conv(
    _ x: IntegerTensor, xZero: Int64, weight w: IntegerTensor,
    weightZero: (Int) -> Int64, bias: [Int64]?,
    attributes: ConvAttributes, node: NodeReference
  ) throws(ExecutionError) -> (shape: [Int], values: [Int32]) {
    guard w.shape.count == 4 else {
      throw .unsupported(
        node: node, message: "only 2-D convolutions are executed")
    }
    let geometry = try ConvGeometry(
      input: x.shape, kernel: attributes.kernelShape ?? Array(w.shape[2...]),
      strides: attributes.strides, dilations: attributes.dilations,
      pads: attributes.pads, autoPad: attributes.autoPad, ceilMode: false,
      node: node)
    let group = attributes.group
    let m = w.shape[0]
    let cPerGroup = w.shape[1]
    guard group >= 1, geometry.channels == cPerGroup * group,
      m % group == 0, geometry.kernelHeight == w.shape[2],
      geometry.kernelWidth == w.shape[3]
    else {
      throw .shapeMismatch(
        tensor: "",
        message:
          "\(node): input \(x.shape) does not fit weight \(w.shape) in \(group) groups"
      )
    }
    if let bias, bias.count != m {
      throw .shapeMismatch(
        tensor: "",
        message: "\(node): bias has \(bias.count) values for \(m) channels")
    }
    let mPerGroup = m / group
    let plane = geometry.outputPlane
    var out = [Int32](repeating: 0, count: geometry.batch * m * plane)
    let kArea = geometry.kernelHeight * geometry.kernelWidth
    let xs = x.values.map { Int32(truncatingIfNeeded: $0 - xZero) }
    for oc in 0..<m {
      let g = oc / mPerGroup
      let zw = weightZero(oc)
      let weights = (0..<(cPerGroup * kArea)).map {
        Int32(truncatingIfNeeded: w.values[oc * cPerGroup * kArea + $0] - zw)
      }
      let b = Int32(truncatingIfNeeded: bias?[oc] ?? 0)
      for n in 0..<geometry.batch {
        let outBase = (n * m + oc) * plane
        for oy in 0..<geometry.outHeight {
          for ox in 0..<geometry.outWidth {
            var acc = b
            for c in 0..<cPerGroup {
              let inBase =
                ((n * geometry.channels) + g * cPerGroup + c)
                * geometry.inputPlane
              for ky in 0..<geometry.kernelHeight {
                let iy =
                  oy * geometry.strideY + ky * geometry.dilationY
                  - geometry.padTop
                if iy < 0 || iy >= geometry.height { continue }
                for kx in 0..<geometry.kernelWidth {
                  let ix =
                    ox * geometry.strideX + kx * geometry.dilationX
                    - geometry.padLeft
                  if ix < 0 || ix >= geometry.width { continue }
                  acc &+=
                    xs[inBase + iy * geometry.width + ix]
                    &* weights[
                      (c * geometry.kernelHeight + ky)
                        * geometry.kernelWidth + kx]
                }
              }
            }
            out[outBase + oy * geometry.outWidth + ox] = acc
          }
        }
      }
    }
    return ([geometry.batch, m, geometry.outHeight, geometry.outWidth], out)
  }

  /// `Σ_k (a[…, i, k] − z_a)(b[…, k, j] − z_b[j]) + bias[j]`: a matrix
  /// product with `a [..., M, K]` and `b [K, N]` or `b [..., K, N]` (the
  /// same leading dimensions as `a`); `transposeB` reads `b` as `[N, K]`
  /// (Gemm's `transB`).
  static func matMul(
    _ a: IntegerTensor, aZero: Int64, _ b: IntegerTensor,
    bZero: (Int) -> Int64, bias: [Int64]?, transposeB: Bool,
    node: NodeReference
  ) throws(ExecutionError) -> (shape: [Int], values: [Int32]) {
    var aShape = a.shape
    if aShape.count == 1 { aShape = [1] + aShape }
    guard aShape.count >= 2, b.shape.count >= 2 else {
      throw .unsupported(
        node: node, message: "a matrix product needs matrices, not \(b.shape)")
    }
    let mRows = aShape[aShape.count - 2]
    let k = aShape[aShape.count - 1]
    let bRank = b.shape.count
    let (bK, n) =
      transposeB
      ? (b.shape[bRank - 1], b.shape[bRank - 2])
      : (b.shape[bRank - 2], b.shape[bRank - 1])
    let batchDims = Array(aShape.dropLast(2))
    let bBatchDims = Array(b.shape.dropLast(2))
    guard bK == k, bBatchDims.isEmpty || bBatchDims == batchDims else {
      throw .shapeMismatch(
        tensor: "",
        message: "\(node): cannot multiply \(a.shape) by \(b.shape)")
    }
    if let bias, bias.count != n, bias.count != 1 {
      throw .shapeMismatch(
        tensor: "",
        message: "\(node): bias has \(bias.count) values for \(n) columns")
    }
    let batches = batchDims.reduce(1, *)
    var out = [Int32](repeating: 0, count: batches * mRows * n)
    let bStride = bBatchDims.isEmpty ? 0 : k * n
    let bs = (0..<n).map { j in Int32(truncatingIfNeeded: bZero(j)) }
    for batch in 0..<batches {
      for i in 0..<mRows {
        let aBase = (batch * mRows + i) * k
        for j in 0..<n {
          var acc = Int32(
            truncatingIfNeeded: bias.map { $0.count == 1 ? $0[0] : $0[j] } ?? 0)
          for p in 0..<k {
            let bIndex =
              batch * bStride + (transposeB ? j * k + p : p * n + j)
            acc &+=
              Int32(truncatingIfNeeded: a.values[aBase + p] - aZero)
              &* (Int32(truncatingIfNeeded: b.values[bIndex]) &- bs[j])
          }
          out[(batch * mRows + i) * n + j] = acc
        }
      }
    }
    var shape = batchDims + [mRows, n]
    if a.shape.count == 1 { shape.remove(at: shape.count - 2) }
    return (shape, out)
  }

  /// Requantizes accumulators: channel `c` of axis `axis` (or every value,
  /// for one multiplier) with `multipliers[c]` into `output`.
  static func requantize(
    _ accumulators: [Int32], shape: [Int], axis: Int, multipliers: [Float],
    output: AffineParameters
  ) -> IntegerTensor {
    let range = output.range
    let zero = output.zeroPoint(0)
    let inner = shape.count > axis ? shape[(axis + 1)...].reduce(1, *) : 1
    let channels = shape.count > axis ? shape[axis] : 1
    var values = [Int64](repeating: 0, count: accumulators.count)
    for index in accumulators.indices {
      let channel =
        multipliers.count == 1 ? 0 : (index / inner) % max(channels, 1)
      values[index] = AffineArithmetic.requantize(
        accumulators[index], multiplier: multipliers[channel],
        zeroPoint: zero, range: range)
    }
    return IntegerTensor(
      shape: shape, values: values, elementType: output.elementType)
  }

  /// QLinearGlobalAveragePool (onnxruntime's fusion of DequantizeLinear →
  /// GlobalAveragePool → QuantizeLinear, MLAS
  /// `MlasQLinearGlobalAveragePoolNchw`): `a = Σ q − z_x · H·W` per
  /// `[n, c]` plane in int32, requantized with `s_x / (s_y · float(H·W))`.
  static func globalAveragePool(
    _ x: IntegerTensor, input: AffineParameters, output: AffineParameters,
    node: NodeReference
  ) throws(ExecutionError) -> IntegerTensor {
    guard x.shape.count >= 3 else {
      throw .unsupported(
        node: node,
        message: "GlobalAveragePool needs [N, C, …], not \(x.shape)")
    }
    let planes = x.shape[0] * x.shape[1]
    let size = x.shape[2...].reduce(1, *)
    guard size > 0 else {
      throw .unsupported(node: node, message: "an empty plane has no average")
    }
    let zero = Int32(truncatingIfNeeded: input.zeroPoint(0))
    let sizeInt = Int32(truncatingIfNeeded: size)
    var sums = [Int32](repeating: 0, count: planes)
    for plane in 0..<planes {
      var acc: Int32 = 0 &- zero &* sizeInt
      for value in x.values[(plane * size)..<((plane + 1) * size)] {
        acc &+= Int32(truncatingIfNeeded: value)
      }
      sums[plane] = acc
    }
    let multiplier = input.scale(0) / (output.scale(0) * Float(size))
    return requantize(
      sums,
      shape: Array(x.shape[0..<2])
        + Array(repeating: 1, count: x.shape.count - 2),
      axis: 1, multipliers: [multiplier], output: output)
  }
}
