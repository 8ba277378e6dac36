import FixedPointArithmetic
import NetworkGraph

/// The §9 statistics of one slice of a batch, gathered node by node while a
/// stepped run reaches each node (Qiu's data phase, which steps the batch
/// layer by layer anyway) instead of by a run of their own.
///
/// Each node is measured as it runs, from its result (output, events, wide
/// integers), the live tensors it read (for its local reference) and the
/// float network's value of its output, stepped beside it; the figures are
/// those ``FixedPointExecutor/statistics(of:input:float:labels:constants:)``
/// gives for a run of the slice keeping every tensor, bit for bit, as long
/// as every node is measured under the precision that is finally chosen
/// (the caller's duty) and in order (checked: ``isComplete``).
struct SliceMeasurement: Sendable {
  /// Whether the weight and bias statistics are included (the first slice
  /// of a batch only; merging keeps the first slice's).
  let constants: Bool
  /// The quantized input's statistics.
  let input: TensorStatistics
  /// Events quantizing the input.
  let inputEvents: OverflowCounts
  var bitsMoved: [String: Int] = [:]
  var macs: [MACFormat: Int] = [:]
  /// Each measured node's statistics, in execution order.
  var layers: [LayerStatistics] = []
  /// The position of the next node to measure.
  private(set) var next = 0
  /// Whether a node was measured out of order or without its float
  /// reference at hand; the statistics are then not the run's.
  private(set) var broken = false
  /// The first graph output of the fixed-point and float networks.
  var scores: FloatTensor?
  var floatScores: FloatTensor?

  /// Starts measuring a slice from its state before the first node.
  ///
  /// - Parameters:
  ///   - state: The slice's state at position 0 (its quantized input).
  ///   - events: The events quantizing the input.
  ///   - input: The slice's float input.
  ///   - constants: Whether to include weight and bias statistics.
  init(
    _ state: FixedPointState, events: OverflowCounts, input: FloatTensor,
    constants: Bool
  ) {
    self.constants = constants
    inputEvents = events
    var raws: [String: RawTensor] = [:]
    for (name, value) in state.values {
      if case .fixed(let raw) = value { raws[name] = raw }
    }
    var bits: [String: Int] = [:]
    self.input = FixedPointExecutor.inputStatistics(
      raws, events: events, input: input, bitsMoved: &bits)
    bitsMoved = bits
    broken = state.position != 0
  }

  /// Measures the node at `position`, which `executor` has just run.
  ///
  /// - Parameters:
  ///   - position: The node's position.
  ///   - executor: The executor that ran it.
  ///   - result: What the node gave (with its wide integers).
  ///   - values: The live tensors it read.
  ///   - reference: The float network's value of its first output (`nil`
  ///     when the float run has none).
  ///   - inStep: Whether the float run stands right after this node (so
  ///     that `reference` is the value of this run's node).
  /// - Throws: An error of the node's local float reference.
  mutating func measure(
    _ position: Int, of executor: FixedPointExecutor, result: NodeResult,
    values: [String: TensorValue], reference: FloatTensor?, inStep: Bool
  ) throws(ExecutionError) {
    guard position == next, inStep else {
      broken = true
      return
    }
    next += 1
    let prepared = executor.prepared[position]
    guard let name = prepared.node.outputs.first, !name.isEmpty else {
      return
    }
    layers.append(
      try executor.layerStatistics(
        prepared, value: result.value, events: result.events,
        wide: result.wide, reference: reference, lookup: { values[$0] },
        constants: constants, bitsMoved: &bitsMoved, macs: &macs))
  }

  /// Whether every node of `executor` was measured, in order, and the
  /// graph outputs were found.
  func isComplete(_ executor: FixedPointExecutor) -> Bool {
    !broken && next == executor.prepared.count && scores != nil
      && floatScores != nil
  }

  /// The slice's statistics (`labels`: the slice's own).
  func statistics(labels: [Int]?) -> NetworkStatistics {
    FixedPointExecutor.networkStatistics(
      input: input, inputEvents: inputEvents, layers: layers, scores: scores,
      floatScores: floatScores, labels: labels, bitsMoved: bitsMoved,
      macs: macs)
  }
}
