extension NodeCounter {
  /// The counts of ``ExtendedOperator``s, by the rules of
  /// `Documentation/Counting.md` ("Modern operators").
  func extended(_ op: ExtendedOperator) throws(NetworkError) -> NodeCounts {
    let y = output?.elementCount ?? 0
    let x = shape(0)?.elementCount ?? 0
    var result = NodeCounts.zero
    func times(_ count: Int, _ factor: Int) throws(NetworkError) -> Int {
      try multiply(count, factor, "the \(op.opType) operation count")
    }
    switch op {
    case .layerNormalization(let axis, _):
      let rank = shape(0)?.rank ?? 0
      let axis = axis < 0 ? axis + rank : axis
      let groups =
        shape(0).map { $0.dims[..<min(max(axis, 0), $0.rank)] }
        .map { $0.reduce(1, *) } ?? 0
      result.otherOps =
        try times(x, node.input(2) != nil ? 8 : 7) + 3 * groups
    case .groupNormalization(let groups, _):
      let batch = shape(0).map { $0.rank > 0 ? $0[0] : 1 } ?? 0
      result.otherOps = try times(x, 8) + 3 * batch * groups
    case .instanceNormalization:
      let planes = shape(0).map { $0.rank >= 2 ? $0[0] * $0[1] : 1 } ?? 0
      result.otherOps = try times(x, 8) + 3 * planes
    case .reduce(let kind, _, _):
      guard y != x || node.input(1) != nil || kind != .mean else { break }
      switch kind {
      case .mean: result.otherOps = x
      case .sum, .max, .min, .product: result.otherOps = max(0, x - y)
      case .l1, .sumSquare: result.otherOps = max(0, try times(x, 2) - y)
      case .l2, .logSumExp: result.otherOps = try times(x, 2)
      }
    case .elementwise(let function):
      let operands = node.inputs.count
      switch function {
      case .sum, .min, .max: result.otherOps = try times(y, operands - 1)
      case .mean: result.otherOps = try times(y, operands)
      default: result.otherOps = y
      }
    case .cast: result.otherOps = y
    case .quantizeLinear, .dequantizeLinear: result.otherOps = try times(y, 2)
    case .gather, .expand, .tile, .slice, .split, .pad, .depthSpace,
      .constantOfShape, .shape, .trilu:
      break
    case .resize(let mode, _):
      let changed = zip(shape(0)?.dims ?? [], output?.dims ?? []).filter {
        $0 != $1
      }.count
      var taps = 1
      for _ in 0..<changed {
        taps = try times(taps, mode == .cubic ? 4 : 2)
      }
      switch mode {
      case .nearest: break
      case .linear: result.otherOps = try times(y, try times(taps - 1, 3))
      case .cubic:
        result.otherOps = changed == 0 ? 0 : try times(y, try times(taps, 2))
      }
    case .range: result.otherOps = y
    case .cumSum:
      let axisSize = cumSumAxisSize()
      result.otherOps = axisSize > 0 ? x - x / axisSize : 0
    case .topK:
      let k = output.map { _ in kSize() } ?? 0
      var depth = 0
      while (1 << depth) < k + 1 { depth += 1 }
      result.otherOps = try times(x, max(1, depth))
    case .argExtreme: result.otherOps = max(0, x - y)
    case .detectionPostProcess(let attributes):
      let batch = shape(0).map { $0.rank > 0 ? $0[0] : 1 } ?? 0
      result.otherOps = try times(batch, attributes.operations)
    case .convTranspose:
      // MACs = N·C·∏in · (M/group)·∏kernel = |X| · |W| / C.
      guard let weight = shape(1), weight.rank >= 1, weight[0] > 0 else {
        break
      }
      result.macs = try multiply(
        x, weight.elementCount / weight[0], "the ConvTranspose MAC count")
      if node.input(2) != nil { result.otherOps = y }
    case .recurrent(let attributes):
      result = try recurrent(attributes)
    case .qLinearConv:
      guard let weight = shape(3), weight.rank >= 1, weight[0] > 0 else {
        break
      }
      result.macs = try multiply(
        y, weight.elementCount / weight[0], "the QLinearConv MAC count")
      result.otherOps = try times(y, node.input(8) != nil ? 3 : 2)
    case .convInteger:
      guard let weight = shape(1), weight.rank >= 1, weight[0] > 0 else {
        break
      }
      result.macs = try multiply(
        y, weight.elementCount / weight[0], "the ConvInteger MAC count")
      result.otherOps =
        (node.input(2) != nil ? x : 0)
        + (node.input(3) != nil ? weight.elementCount : 0)
    case .qLinearMatMul, .matMulInteger:
      guard let a = shape(0), a.rank >= 1 else { break }
      result.macs = try multiply(
        y, a[a.rank - 1], "the \(op.opType) MAC count")
      if case .qLinearMatMul = op { result.otherOps = try times(y, 2) }
    case .einsum(let equation):
      var shapes: [TensorShape] = []
      for index in node.inputs.indices {
        guard let shape = shape(index) else { return result }
        shapes.append(shape)
      }
      let parsed = try EinsumEquation(
        equation, shapes: shapes, node: node.reference)
      guard let space = parsed.indexSpace else {
        throw .overflow(what: "the Einsum MAC count", node: node.reference)
      }
      if shapes.count == 1 {
        result.otherOps = y < x ? x : 0
      } else {
        result.macs = try multiply(
          space, shapes.count - 1, "the Einsum MAC count")
      }
    }
    return result
  }

  /// LSTM and GRU: per time step, direction and batch row, the gate GEMMs
  /// `G·H·(I + H)` MACs and the gate arithmetic.
  private func recurrent(_ attributes: RecurrentAttributes)
    throws(NetworkError) -> NodeCounts
  {
    guard let x = shape(0), x.rank == 3 else { return .zero }
    let (sequence, batch) =
      attributes.batchFirst ? (x[1], x[0]) : (x[0], x[1])
    let h = attributes.hiddenSize
    let steps = try Checked.product(
      [sequence, attributes.directions, batch], "the recurrent steps",
      node: node.reference)
    let gates = attributes.kind.gates * h
    let perStep = try multiply(gates, x[2] + h, "the recurrent MAC count")
    var other: Int
    switch attributes.kind {
    case .lstm:
      other = 9 * h
      if node.input(3) != nil { other += 8 * h }
      if node.input(7) != nil { other += 6 * h }
    case .gru:
      other = 8 * h
      if node.input(3) != nil { other += 6 * h }
    }
    return NodeCounts(
      macs: try multiply(steps, perStep, "the recurrent MAC count"),
      otherOps: try multiply(steps, other, "the recurrent operation count"))
  }

  private func cumSumAxisSize() -> Int {
    guard let name = node.input(1), let x = shape(0),
      let axis = network.initializer(named: name)?.integerValues?.first
        .map({ Int($0) })
    else { return shape(0)?.dims.last ?? 0 }
    let normalized = axis < 0 ? axis + x.rank : axis
    return normalized >= 0 && normalized < x.rank ? x[normalized] : 0
  }

  private func kSize() -> Int {
    guard let x = shape(0), let y = output else { return 0 }
    for (p, q) in zip(x.dims, y.dims) where p != q { return q }
    return y.dims.last ?? 0
  }
}
