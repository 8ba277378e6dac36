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
  public var total: Int {
    accumulator.elements.total + output.total + inputs.total
  }
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
}
