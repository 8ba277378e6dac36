import Evaluation
import Foundation
import TraceFormats

/// How `simulate --data`'s accuracy is shown: in `--json` and
/// `summary.json`, and as one line of the text report.
extension MeasuredAccuracy {
  /// The `accuracy` object of `--json` and `summary.json`.
  var json: JSONValue {
    func number(_ x: Double?) -> JSONValue {
      guard let x, x.isFinite else { return .null }
      return .number(x)
    }
    return .object([
      "arithmetic": .string(description), "samples": .int(samples),
      "top1": number(top1), "top5": number(top5),
      "float_top1": number(floatTop1),
      "top1_agreement": number(top1Agreement),
      "output_sqnr_db": outputSQNR.map { number($0.value) } ?? .null,
    ])
  }

  /// One line for the text report.
  var line: String {
    func percent(_ x: Double) -> String {
      String(format: "%.2f%%", x * 100)
    }
    var parts = ["\(samples) samples, \(description)"]
    if let top1 { parts.append("top-1 \(percent(top1))") }
    if let top5 { parts.append("top-5 \(percent(top5))") }
    if let floatTop1 { parts.append("float top-1 \(percent(floatTop1))") }
    if let top1Agreement {
      parts.append("top-1 agrees with float on \(percent(top1Agreement))")
    }
    if let outputSQNR { parts.append("output SQNR \(outputSQNR)") }
    return "accuracy: " + parts.joined(separator: ", ")
  }
}
