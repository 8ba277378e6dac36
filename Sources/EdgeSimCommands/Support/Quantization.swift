import BitAccurateExecution
import Diagnostics
import NetworkGraph
import SpecFormats

/// `quantize`'s work between reading the inputs and printing: calibrate on
/// the first samples, measure the plan on all of them, and render the
/// precision file, checking that it reads back.
enum Quantization {
  /// Calibrates and measures.
  ///
  /// Calibration sees the first `calibrationSamples` samples (all when
  /// `nil`); the measurement runs on every sample. Throws ``CommandFailure``
  /// for an execution or calibration error.
  static func run(
    network: Network, data: FloatTensor, labels: [Int]?,
    configuration: CalibrationConfiguration,
    calibrationSamples: Int?, concurrency: Int, model: String
  ) throws(CommandFailure) -> QuantizeOutcome {
    let count = data.shape.first ?? 0
    let used = min(count, calibrationSamples ?? count)
    let calibrationData = RunExecution.slice(data, 0..<used)
    do {
      let calibration = try Calibrator.calibrate(
        network: network, data: calibrationData,
        labels: labels.map { Array($0.prefix(used)) },
        configuration: configuration, concurrency: concurrency)
      let executor = try FixedPointExecutor(
        network: network, plan: calibration.plan, concurrency: concurrency)
      let (_, statistics) = try executor.runWithStatistics(
        input: data, labels: labels)
      return QuantizeOutcome(
        calibration: calibration, statistics: statistics,
        calibrationSamples: used)
    } catch {
      throw CommandFailure(
        .error(error.description, at: SourceLocation(file: model)))
    }
  }

  /// The plan as precision-file YAML, checked to read back (and to render
  /// the same again).
  static func render(_ plan: PrecisionPlan, fileName: String)
    throws(CommandFailure) -> String
  {
    let text = plan.render()
    let check = PrecisionReader.read(
      bytes: Array(text.utf8), fileName: fileName)
    guard let back = check.value else {
      throw CommandFailure(
        check.diagnostics.map {
          Diagnostic(
            .error,
            "internal: the written plan does not read back: \($0.message)",
            at: nil)
        })
    }
    guard back.render() == text else {
      throw CommandFailure(
        .error("internal: the written plan reads back differently", at: nil))
    }
    return text
  }
}
