import BitAccurateExecution
import Evaluation
import FixedPointArithmetic
import Foundation
import PrecisionModel

/// Renders `quantize`'s table (formats, SQNR, overflows) and accuracy, or
/// the same as JSON.
enum QuantizeReport {
  /// The readable report.
  static func table(
    _ outcome: CalibrationOutcome, method: CalibrationMethod, out: String
  ) -> String {
    var rows: [[String]] = [
      ["layer", "op", "output", "weight", "SQNR e2e dB", "overflows"]
    ]
    let byName = Dictionary(
      outcome.statistics.layers.map { ($0.name, $0) },
      uniquingKeysWith: { first, _ in first })
    rows.append([
      "(input)", "", RunReport.format(outcome.calibration.input), "",
      RunReport.decibels(outcome.statistics.input.endToEnd?.sqnr),
      "\(outcome.statistics.input.overflow.total)",
    ])
    for layer in outcome.calibration.layers {
      let statistics = byName[layer.name]
      rows.append([
        layer.name, layer.opType,
        layer.activation.map(RunReport.format) ?? "float",
        layer.weight.map(RunReport.format) ?? "",
        RunReport.decibels(statistics?.output.endToEnd?.sqnr),
        statistics.map { "\($0.totalOverflows)" } ?? "",
      ])
    }
    let samples = outcome.statistics.samples
    var text = TextTable.render(rows) + "\n"
    text +=
      "\(method.rawValue) calibration on \(outcome.calibrationSamples) samples; statistics over \(samples)\n"
    if let top1 = outcome.statistics.top1,
      let float = outcome.statistics.floatTop1
    {
      text +=
        "top-1: float \(RunReport.percent(float)), fixed \(RunReport.percent(top1)) ("
        + String(format: "%+.2f", (top1 - float) * 100) + " points)\n"
    }
    text +=
      "top-1 agreement with float \(RunReport.percent(outcome.statistics.top1Agreement)); "
    text += "\(outcome.statistics.totalOverflows) overflow events\n"
    text += "precision file written to \(out)"
    return text
  }

  /// The JSON report.
  static func json(
    _ outcome: CalibrationOutcome, method: CalibrationMethod, out: String
  ) -> String {
    let byName = Dictionary(
      outcome.statistics.layers.map { ($0.name, $0) },
      uniquingKeysWith: { first, _ in first })
    let layers: [[String: Any]] = outcome.calibration.layers.map { layer in
      var object: [String: Any] = ["name": layer.name, "op": layer.opType]
      if let weight = layer.weight {
        object["weight"] = RunReport.formatJSON(weight)
      }
      object["activation"] =
        layer.activation.map(RunReport.formatJSON) ?? ["float": true]
      if let statistics = byName[layer.name] {
        object["sqnr_end_to_end_db"] = RunReport.number(
          statistics.output.endToEnd?.sqnr.value)
        object["sqnr_local_db"] = RunReport.number(
          statistics.output.local?.sqnr.value)
        object["overflows"] = statistics.totalOverflows
      }
      object["weight_error"] = RunReport.number(layer.weightError)
      object["activation_error"] = RunReport.number(layer.activationError)
      return object
    }
    return JSONOutput.encode([
      "method": method.rawValue, "out": out,
      "samples": outcome.statistics.samples,
      "calibration_samples": outcome.calibrationSamples,
      "input": RunReport.formatJSON(outcome.calibration.input),
      "top1": RunReport.number(outcome.statistics.top1),
      "top5": RunReport.number(outcome.statistics.top5),
      "float_top1": RunReport.number(outcome.statistics.floatTop1),
      "top1_agreement": RunReport.number(outcome.statistics.top1Agreement),
      "total_overflows": outcome.statistics.totalOverflows, "layers": layers,
    ])
  }
}
