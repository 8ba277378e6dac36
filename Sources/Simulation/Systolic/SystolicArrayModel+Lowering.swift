import NetworkGraph

extension SystolicArrayModel {
  /// Lowers a SCALE-Sim topology row to GEMMs, as SCALE-Sim 3.0.0 does.
  ///
  /// A dense layer gives one GEMM with `E = E_h·E_w` (from SCALE-Sim's
  /// `ceil((H − R + s)/s)` on the padded sizes), `K = R·S·C`, `M` filters.
  /// A depthwise layer (SCALE-Sim's `DP` name rule) gives `C` GEMMs, one per
  /// channel, each with `K = R·S` and the row's `M` (usually 1), simulated
  /// one after another; its cycles are the sum over channels.
  ///
  /// - Throws: ``SystolicModelError/invalidShape(_:)`` when a value is not
  ///   positive or the filter is larger than the input, and
  ///   ``SystolicModelError/overflow(_:)``.
  public static func lower(_ shape: SystolicConvShape, depthwise: Bool = false)
    throws(SystolicModelError) -> [SystolicGEMM]
  {
    let values = [
      shape.ifmapHeight, shape.ifmapWidth, shape.filterHeight,
      shape.filterWidth,
      shape.channels, shape.filters, shape.stride,
    ]
    guard values.allSatisfy({ $0 > 0 }) else {
      throw .invalidShape("every topology value must be positive: \(values)")
    }
    guard shape.filterHeight <= shape.ifmapHeight,
      shape.filterWidth <= shape.ifmapWidth
    else {
      throw .invalidShape("filter larger than the padded input: \(values)")
    }
    var channel = shape
    if depthwise { channel.channels = 1 }
    let e = try SystolicMath.multiply(
      shape.ofmapHeight, shape.ofmapWidth, "output pixels")
    let k = try SystolicMath.product(
      [channel.filterHeight, channel.filterWidth, channel.channels],
      "window size")
    let gemm = SystolicGEMM(e: e, k: k, m: channel.filters, window: channel)
    return depthwise ? Array(repeating: gemm, count: shape.channels) : [gemm]
  }

  /// Lowers a network node (Conv, Gemm or MatMul) to SCALE-Sim GEMMs.
  ///
  /// - Conv: the padded input is written as SCALE-Sim's "effective" size
  ///   `(out − 1)·s + R_eff` per axis, so SCALE-Sim's output formula gives
  ///   the framework's output size (e.g. ResNet-18 conv1 becomes 229×229,
  ///   `scalesim-model.md`); `R_eff` is the dilated extent, while `K`
  ///   counts the real taps. Batch `N` multiplies `E`. `group == C` is
  ///   depthwise (`C` GEMMs, `K = R·S`, `M = M/C`); other groups give `g`
  ///   GEMMs with `K = R·S·C/g`, `M = M/g`. Non-square strides use the
  ///   row stride (SCALE-Sim has one stride).
  /// - Gemm / MatMul `[N, K] × [K, M]`: an FC layer, i.e. a convolution
  ///   covering the whole input: `E = N` (batched rows), `K`, `M`.
  ///
  /// - Throws: ``SystolicModelError/unsupported(_:)`` for other operators or
  ///   missing shapes.
  public static func lower(node: Node, shapes: InferredShapes)
    throws(SystolicModelError) -> [SystolicGEMM]
  {
    let inputs = node.inputs.map { shapes.shape(of: $0) }
    let output = node.outputs.first.flatMap { shapes.shape(of: $0) }
    switch node.op {
    case .conv(let attributes):
      guard inputs.count >= 2, let x = inputs[0], let w = inputs[1],
        let y = output,
        x.rank == 4, w.rank == 4, y.rank == 4
      else {
        throw .unsupported(
          "node '\(node.name)': only 2-D convolutions are lowered")
      }
      let group = max(1, attributes.group)
      let dilation = attributes.dilations ?? [1, 1]
      let stride = attributes.strides?.first ?? 1
      let extentH = (dilation.first ?? 1) * (w[2] - 1) + 1
      let extentW = (dilation.last ?? 1) * (w[3] - 1) + 1
      let height = try SystolicMath.add(
        try SystolicMath.multiply(y[2] - 1, stride, "padded input"), extentH,
        "padded input")
      let width = try SystolicMath.add(
        try SystolicMath.multiply(y[3] - 1, stride, "padded input"), extentW,
        "padded input")
      let batch = x[0]
      let shape = SystolicConvShape(
        ifmapHeight: height, ifmapWidth: width, filterHeight: extentH,
        filterWidth: extentW, channels: w[1], filters: w[0] / group,
        stride: stride)
      guard var gemm = try lower(shape).first else {
        throw .unsupported("node '\(node.name)': empty convolution")
      }
      gemm.k = try SystolicMath.product([w[2], w[3], w[1]], "window size")
      gemm.e = try SystolicMath.multiply(gemm.e, batch, "output pixels")
      if extentH != w[2] || extentW != w[3] || batch > 1 {
        // Dilated or batched windows do not follow SCALE-Sim's address map;
        // their input words are then counted as distinct im2col entries.
        gemm.window = nil
      }
      return Array(repeating: gemm, count: group)
    case .gemm, .matMul:
      guard inputs.count >= 2, let a = inputs[0], let y = output, a.rank >= 2,
        y.rank >= 2
      else {
        throw .unsupported(
          "node '\(node.name)': Gemm/MatMul shapes are missing")
      }
      let m = y[y.rank - 1]
      let rows = try SystolicMath.product(Array(y.dims.dropLast()), "rows")
      var k = a[a.rank - 1]
      if case .gemm(let attributes) = node.op, attributes.transA { k = a[0] }
      return [SystolicGEMM(e: rows, k: k, m: m)]
    default:
      throw .unsupported(
        "node '\(node.name)' (\(node.op.opType)) is not a MAC layer")
    }
  }
}
