import FixedPointArithmetic
import NetworkGraph

// Measuring the final plan inside Qiu's data phase: the data phase steps
// every chunk of the batch through the network layer by layer; the nodes
// before a layer run under formats already final, so their §9 statistics
// are taken as they run, with the float network stepped beside them,
// instead of by a second run of both networks after calibration.

extension CalibrationSession {
  /// One chunk of the batch between two layers of the data phase.
  struct Chunk: Sendable {
    /// The float network's live tensors.
    var float: FloatState
    /// The fixed-point network's live tensors, packed.
    var fixed: PackedState
    /// The chunk's statistics so far, when measuring.
    var measurement: SliceMeasurement?
  }

  /// The chunks of the data phase: the measurement slices when they can be
  /// (every chunk then one slice), else chunks of at most `perChunk`
  /// samples, one per core.
  ///
  /// - Returns: The ranges and whether the plan is measured on them.
  func dataPhaseChunks(cores: Int, perChunk: Int) -> (
    ranges: [Range<Int>], measuring: Bool
  ) {
    let count = data.shape.first ?? 0
    let independent = SampleIndependence.holds(for: network)
    if let slices = measurementSlices, let first = slices.first,
      first.lowerBound == 0, slices.last?.upperBound == count,
      zip(slices, slices.dropFirst()).allSatisfy({
        $0.upperBound == $1.lowerBound
      }),
      slices.allSatisfy({ !$0.isEmpty }), independent || slices.count == 1
    {
      return (slices, true)
    }
    let ranges =
      independent
      ? Parallel.sampleChunks(count, cores: cores, perChunk: perChunk)
      : [0..<count]
    return (ranges, false)
  }

  /// Runs a chunk's fixed-point network up to, not including, `end`,
  /// measuring each node as it runs, the float network stepped beside it
  /// (it must stand at most one node ahead); without a measurement, does
  /// nothing.
  ///
  /// - Throws: Any error of the nodes run.
  static func measuredAdvance(
    _ chunk: inout Chunk, to end: Int, executor: FixedPointExecutor,
    floatExecutor: FloatExecutor, floatReads: [[String]]
  ) throws(ExecutionError) {
    guard var measurement = chunk.measurement, chunk.fixed.position < end
    else { return }
    var state = chunk.fixed.unpacked
    var float = chunk.float
    chunk.float = FloatState(values: [:])
    try executor.advance(&state, to: end) {
      position, result, values throws(ExecutionError) in
      if float.position < position + 1 {
        try floatExecutor.advance(
          &float, to: position + 1, lastReads: floatReads)
      }
      let node = executor.prepared[position].node
      let inStep =
        float.position == position + 1
        && floatExecutor.network.nodes[position].name == node.name
      try measurement.measure(
        position, of: executor, result: result, values: values,
        reference: float.values[node.outputs.first ?? ""], inStep: inStep)
    }
    if state.position == executor.prepared.count {
      try floatExecutor.advance(
        &float, to: floatExecutor.network.nodes.count, lastReads: floatReads)
      if let name = executor.network.outputs.first {
        measurement.scores = state.values[name]?.floatTensor
        measurement.floatScores = float.values[name]
      }
    }
    chunk.fixed = PackedState(state)
    chunk.float = float
    chunk.measurement = measurement
  }

  /// The §9 statistics the data phase measured, the slices' merged in
  /// order (as a caller measuring slice by slice merges them), when every
  /// slice was measured completely under `executor` (the final plan's).
  func measuredStatistics(_ executor: FixedPointExecutor, labels: [Int]?)
    -> NetworkStatistics?
  {
    guard let measurements, let slices = measurementSlices,
      measurements.count == slices.count,
      measurements.allSatisfy({ $0.isComplete(executor) })
    else { return nil }
    var merged: NetworkStatistics?
    for (measurement, range) in zip(measurements, slices) {
      let part = measurement.statistics(
        labels: labels.map { Array($0[range]) })
      merged = merged.map { $0.merging(part, network: network) } ?? part
    }
    return merged
  }
}
