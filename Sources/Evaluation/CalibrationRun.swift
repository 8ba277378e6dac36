import BitAccurateExecution
import NetworkGraph

/// What calibrating a plan and measuring it gave (`edgesim quantize`).
public struct CalibrationOutcome: Sendable {
  /// The calibration (formats chosen per layer, the plan).
  public var calibration: CalibrationResult
  /// The plan's §9 statistics over every sample.
  public var statistics: NetworkStatistics
  /// The number of samples calibration used (the first ones).
  public var calibrationSamples: Int
}

/// Calibrates a plan on the first samples and measures it on all of them.
public enum CalibrationRun {
  /// Calibrates on the first `calibrationSamples` samples (all when `nil`)
  /// and runs the plan with §9 statistics on every sample.
  ///
  /// - Throws: An execution or calibration error.
  public static func run(
    network: Network, data: FloatTensor, labels: [Int]?,
    configuration: CalibrationConfiguration,
    calibrationSamples: Int?, concurrency: Int
  ) throws(ExecutionError) -> CalibrationOutcome {
    let count = data.shape.first ?? 0
    let used = min(count, calibrationSamples ?? count)
    let calibrationData = BatchSlices.slice(data, 0..<used)
    let labelsUsed = labels.map { Array($0.prefix(used)) }
    let slices = statisticsSlices(count: used, network: network)
    if used == count {
      // The calibration's own report run is the measurement (Qiu's data
      // phase measures the slices as it goes).
      let (calibration, statistics) = try Calibrator.measuring(
        network: network, data: calibrationData, labels: labelsUsed,
        configuration: configuration, concurrency: concurrency,
        slices: slices,
        measure: { executor throws(ExecutionError) in
          try CalibrationRun.statistics(
            executor, data: calibrationData, labels: labelsUsed,
            network: network, concurrency: concurrency)
        })
      return CalibrationOutcome(
        calibration: calibration, statistics: statistics,
        calibrationSamples: used)
    }
    let calibration = try Calibrator.measuring(
      network: network, data: calibrationData, labels: labelsUsed,
      configuration: configuration, concurrency: concurrency,
      slices: slices,
      measure: { executor throws(ExecutionError) in
        try CalibrationRun.statistics(
          executor, data: calibrationData, labels: labelsUsed,
          network: network, concurrency: concurrency)
      }
    ).result
    let executor = try FixedPointExecutor(
      network: network, plan: calibration.plan, concurrency: concurrency)
    let statistics = try CalibrationRun.statistics(
      executor, data: data, labels: labels, network: network,
      concurrency: concurrency)
    return CalibrationOutcome(
      calibration: calibration, statistics: statistics,
      calibrationSamples: used)
  }

  /// The most bytes the §9 statistics of one slice of samples may touch:
  /// larger batches are measured slice by slice and the statistics merged
  /// (as `run --batch-size` does), smaller ones in one run.
  static let statisticsBytes = 1 << 30

  /// The sample ranges whose §9 statistics ``statistics(_:data:labels:network:concurrency:)``
  /// measures one by one and merges in order: slices of as many samples as
  /// fit in ``statisticsBytes``, or the whole batch.
  static func statisticsSlices(count: Int, network: Network) -> [Range<Int>] {
    var perSample = 0
    if let shapes = try? network.bindingBatch(1).inferShapes() {
      for node in network.nodes {
        for name in node.outputs {
          perSample += shapes.shape(of: name)?.elementCount ?? 0
        }
      }
    }
    let samples = max(1, statisticsBytes / max(1, perSample * 48))
    guard count > samples else { return [0..<count] }
    return stride(from: 0, to: count, by: samples).map {
      $0..<min(count, $0 + samples)
    }
  }

  /// The §9 statistics of a plan on a batch
  /// (``FixedPointExecutor/runWithStatistics(input:labels:)``), in slices
  /// when the whole batch's tensors (integers, accumulators, float
  /// references and their Double copies, about 48 bytes an element) would
  /// exceed ``statisticsBytes``.
  static func statistics(
    _ executor: FixedPointExecutor, data: FloatTensor, labels: [Int]?,
    network: Network, concurrency: Int
  ) throws(ExecutionError) -> NetworkStatistics {
    let count = data.shape.first ?? 0
    let ranges = statisticsSlices(count: count, network: network)
    guard ranges.count > 1 else {
      return try executor.runWithStatistics(input: data, labels: labels)
        .statistics
    }
    // The slices run a few at a time, one per core (a slice of few samples
    // keeps one core busy), and their statistics are merged in sample
    // order, so the result is the sequential merge's bit for bit.
    let cores = max(1, concurrency)
    var merged: NetworkStatistics?
    var wave = 0
    while wave < ranges.count {
      let group = Array(ranges[wave..<min(ranges.count, wave + cores)])
      // Weights and biases are the same in every slice and merging keeps
      // the first slice's.
      let parts = try executor.statistics(
        slices: group, of: data, labels: labels, constants: wave == 0)
      for part in parts {
        merged = merged.map { $0.merging(part, network: network) } ?? part
      }
      wave += group.count
    }
    guard let merged else {
      return try executor.runWithStatistics(input: data, labels: labels)
        .statistics
    }
    return merged
  }
}
