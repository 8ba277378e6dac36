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
    let calibration = try Calibrator.calibrate(
      network: network, data: calibrationData,
      labels: labels.map { Array($0.prefix(used)) },
      configuration: configuration, concurrency: concurrency)
    let executor = try FixedPointExecutor(
      network: network, plan: calibration.plan, concurrency: concurrency)
    let (_, statistics) = try executor.runWithStatistics(
      input: data, labels: labels)
    return CalibrationOutcome(
      calibration: calibration, statistics: statistics,
      calibrationSamples: used)
  }
}
