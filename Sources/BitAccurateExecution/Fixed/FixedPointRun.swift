import FixedPointArithmetic

/// Exact integers before a node's requantization: a dot product's
/// accumulator, an Add's aligned sum S, a Mul's product (FIXED_POINT.md §5).
public struct WideTensor: Hashable, Sendable {
  /// The dimensions (those of the node's output).
  public var shape: [Int]
  /// The exact integers.
  public var values: [Int64]
  /// Their fractional length (fl_w + fl_x for an accumulator).
  public var fractionalLength: Int
  /// The accumulator format (A bits), when the values are an accumulator.
  public var accumulator: QFormat?
}

/// The overflow events of one node in one run (FIXED_POINT.md §9).
public struct NodeEvents: Hashable, Sendable {
  /// Accumulator events (dot-product layers).
  public var accumulator = AccumulatorEvents()
  /// Requantization (or island re-quantization) events of the output.
  public var output = OverflowCounts()
  /// Events requantizing inputs: Concat inputs to the output format, or
  /// both operands of an `alignToOutput` Add.
  public var inputs = OverflowCounts()

  /// Creates empty counts.
  public init() {}

  /// Adds another run slice's counts.
  public mutating func merge(_ other: NodeEvents) {
    accumulator.merge(other.accumulator)
    output.merge(other.output)
    inputs.merge(other.inputs)
  }

  /// Every event counted (steps of `saturateEachStep` not included twice:
  /// elements are counted, steps reported apart).
  public var total: Int { accumulator.elements.total + output.total + inputs.total }
}

/// What a bit-accurate run produced.
public struct FixedPointRun: Sendable {
  /// The quantized network inputs, by name (§11: `halfEven`, `saturate`).
  public var inputs: [String: RawTensor]
  /// Events quantizing the inputs.
  public var inputEvents: OverflowCounts
  /// Every node output, by tensor name: raws in their format, or Float32
  /// for float islands.
  public var tensors: [String: TensorValue]
  /// The graph outputs, in order.
  public var outputs: [TensorValue]
  /// Events by node name.
  public var events: [String: NodeEvents]
  /// Pre-requantization integers by node name, when requested.
  public var wide: [String: WideTensor]

  /// Joins runs on consecutive batch slices; `nil` when a tensor does not
  /// keep the batch as its first axis.
  static func concatenating(_ runs: [FixedPointRun], chunks: [Range<Int>]) -> FixedPointRun? {
    guard let first = runs.first else { return nil }
    let batch = chunks.reduce(0) { $0 + $1.count }
    func joinRaw(_ pieces: [RawTensor]) -> RawTensor? {
      guard var shape = pieces.first?.shape, !shape.isEmpty else { return nil }
      var raws: [Int64] = []
      for (piece, range) in zip(pieces, chunks) {
        guard piece.shape.first == range.count else { return nil }
        raws += piece.raws
      }
      shape[0] = batch
      return RawTensor(unchecked: shape, raws: raws, format: pieces[0].format)
    }
    func joinValue(_ pieces: [TensorValue]) -> TensorValue? {
      if case .fixed = pieces[0] {
        var raws: [RawTensor] = []
        for piece in pieces {
          guard case .fixed(let raw) = piece else { return nil }
          raws.append(raw)
        }
        return joinRaw(raws).map { .fixed($0) }
      }
      var shape = pieces[0].shape
      guard !shape.isEmpty else { return nil }
      var values: [Float] = []
      for (piece, range) in zip(pieces, chunks) {
        guard case .float(let tensor) = piece, tensor.shape.first == range.count else { return nil }
        values += tensor.values
      }
      shape[0] = batch
      return .float(FloatTensor(unchecked: shape, values: values))
    }
    var result = FixedPointRun(
      inputs: [:], inputEvents: OverflowCounts(), tensors: [:], outputs: [], events: [:],
      wide: [:])
    for name in first.inputs.keys {
      guard let joined = joinRaw(runs.compactMap { $0.inputs[name] }) else { return nil }
      result.inputs[name] = joined
    }
    for name in first.tensors.keys {
      guard let joined = joinValue(runs.compactMap { $0.tensors[name] }) else { return nil }
      result.tensors[name] = joined
    }
    for index in first.outputs.indices {
      guard let joined = joinValue(runs.map { $0.outputs[index] }) else { return nil }
      result.outputs.append(joined)
    }
    for name in first.wide.keys {
      let pieces = runs.compactMap { $0.wide[name] }
      guard var shape = pieces.first?.shape, !shape.isEmpty else { return nil }
      var values: [Int64] = []
      for (piece, range) in zip(pieces, chunks) {
        guard piece.shape.first == range.count else { return nil }
        values += piece.values
      }
      shape[0] = batch
      result.wide[name] = WideTensor(
        shape: shape, values: values, fractionalLength: pieces[0].fractionalLength,
        accumulator: pieces[0].accumulator)
    }
    for run in runs {
      result.inputEvents.merge(run.inputEvents)
      for (name, events) in run.events { result.events[name, default: NodeEvents()].merge(events) }
    }
    return result
  }
}
