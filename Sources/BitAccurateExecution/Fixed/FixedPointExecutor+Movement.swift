import FixedPointArithmetic
import NetworkGraph

extension FixedPointExecutor {
  /// Whether an operator only moves, repeats or drops its input's elements.
  ///
  /// FIXED_POINT.md §11 data movement: Gather, Slice, Pad, Tile, Expand,
  /// nearest Resize, DepthToSpace/SpaceToDepth, Split and TopK's values.
  /// Their raws can be moved exactly, keeping the format.
  static func movesData(_ op: Operator) -> Bool {
    guard case .extended(let extended) = op else { return false }
    switch extended {
    case .gather, .slice, .pad, .tile, .expand, .depthSpace, .split, .topK:
      return true
    case .resize(let mode, _):
      return mode == .nearest
    default:
      return false
    }
  }

  /// A data-movement node on raws (`Documentation/Quantization.md`,
  /// "Readings chosen"): every output element is the raw of the input
  /// element the float kernel would copy there, in the input's format, with
  /// no rounding; Pad's constant is quantized to that format (`halfEven`,
  /// `saturate`, its event counted once per padded element); TopK's indices are integers in
  /// ``FixedPointArithmetic/QFormat/indices``.
  ///
  /// The source of each output element is found by running the float
  /// kernel on the element positions (split into two Float32-exact halves
  /// of 12 and 24 bits), so the moves are the float executor's, element for
  /// element.
  func movedRaws(
    _ prepared: PreparedNode, _ x: RawTensor, _ operands: [TensorValue?]
  ) throws(ExecutionError) -> NodeResult {
    let node = prepared.node
    if case .extended(.topK(let axis, let largest)) = node.op {
      return try topK(prepared, x, operands, axis: axis, largest: largest)
    }
    let count = x.raws.count
    guard count < 1 << 36 else {
      throw .unsupported(
        node: node.reference, message: "moves more than 2^36 elements")
    }
    var floats = operands.map { $0?.floatTensor }
    var padConstant: Int64 = 0
    var padEvent: OverflowEvent?
    var events = NodeEvents()
    if case .extended(.pad) = node.op {
      let value = floats.count > 2 ? floats[2]?.values.first ?? 0 : 0
      if value.isNaN { throw .notANumber(tensor: node.inputs[2], index: 0) }
      do {
        let (raw, event) = try FixedPoint.quantize(
          Double(value), to: x.format, rounding: .halfEven,
          overflow: .saturate)
        padConstant = raw
        padEvent = event
      } catch {
        throw .arithmetic(tensor: node.outputs.first ?? node.name, error: error)
      }
      while floats.count < 3 { floats.append(nil) }
      floats[2] = FloatTensor(unchecked: [], values: [-1])
    }
    func positions(_ part: (Int) -> Int) throws(ExecutionError)
      -> [FloatTensor]
    {
      floats[0] = FloatTensor(
        unchecked: x.shape, values: (0..<count).map { Float(part($0)) })
      return try FloatKernels.evaluateAll(node, floats, network: network)
    }
    let low = try positions { $0 & 0xFFF }
    let high = try positions { $0 >> 12 }
    var outputs: [TensorValue] = []
    for (lows, highs) in zip(low, high) {
      var raws = [Int64](repeating: 0, count: lows.values.count)
      for index in raws.indices {
        let h = highs.values[index]
        if h < 0 {
          // Counted per padded element, as re-quantizing the float
          // kernel's output would.
          raws[index] = padConstant
          if let padEvent { events.output.record(padEvent) }
        } else {
          raws[index] = x.raws[Int(h) << 12 | Int(lows.values[index])]
        }
      }
      outputs.append(
        .fixed(RawTensor(unchecked: lows.shape, raws: raws, format: x.format)))
    }
    guard let first = outputs.first else {
      throw .missingTensor(name: "output 0", node: node.reference)
    }
    return NodeResult(
      value: first, events: events, others: outputs.dropFirst().map { $0 })
  }

  /// TopK-11 on raws: the `k` largest (smallest) raws along `axis`, sorted,
  /// equal raws in index order (as the float kernel and onnxruntime), in
  /// the input's format; the indices in ``FixedPointArithmetic/QFormat/indices``.
  func topK(
    _ prepared: PreparedNode, _ x: RawTensor, _ operands: [TensorValue?],
    axis: Int, largest: Bool
  ) throws(ExecutionError) -> NodeResult {
    let node = prepared.node
    let rank = x.shape.count
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0, a < rank else {
      throw .unsupported(
        node: node.reference, message: "axis \(axis) is outside rank \(rank)")
    }
    guard operands.count > 1, let kTensor = operands[1]?.floatTensor,
      let kValue = kTensor.values.first, let k = Int(exactly: kValue)
    else {
      throw .missingTensor(name: "input 1 (K)", node: node.reference)
    }
    let length = x.shape[a]
    guard k >= 0, k <= length else {
      throw .unsupported(
        node: node.reference, message: "K \(k) is outside 0…\(length)")
    }
    let inner = FloatTensor.count(Array(x.shape[(a + 1)...]))
    let outer = FloatTensor.count(Array(x.shape[..<a]))
    let (values, positions) = TopKSelection.select(
      x.raws, outer: outer, length: length, inner: inner, k: k,
      largest: largest)
    let indices = positions.map { Int64($0) }
    var shape = x.shape
    shape[a] = k
    return NodeResult(
      value: .fixed(
        RawTensor(unchecked: shape, raws: values, format: x.format)),
      others: [
        .fixed(
          RawTensor(unchecked: shape, raws: indices, format: QFormat.indices))
      ])
  }
}
