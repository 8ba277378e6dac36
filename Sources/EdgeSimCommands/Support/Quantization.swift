import BitAccurateExecution
import Diagnostics
import Evaluation
import NetworkGraph
import PrecisionModel
import SpecFormats

/// `quantize`'s work between reading the inputs and printing: the library's
/// calibration run with its error placed at the model, and the precision
/// file rendered and checked to read back.
enum Quantization {
  /// Calibrates and measures (``CalibrationRun``), an error placed at the
  /// model.
  static func run(
    network: Network, data: FloatTensor, labels: [Int]?,
    configuration: CalibrationConfiguration,
    calibrationSamples: Int?, concurrency: Int, model: String
  ) throws(CommandFailure) -> CalibrationOutcome {
    do {
      return try CalibrationRun.run(
        network: network, data: data, labels: labels,
        configuration: configuration, calibrationSamples: calibrationSamples,
        concurrency: concurrency)
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
