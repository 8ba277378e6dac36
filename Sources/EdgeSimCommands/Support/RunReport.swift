import BitAccurateExecution
import Evaluation
import FixedPointArithmetic
import Foundation

/// Renders `edgesim run`'s results: a per-layer table of the §9 statistics
/// with the accuracy, or the same as JSON.
enum RunReport {
  /// The readable report.
  static func table(_ outcome: RunOutcome) -> String {
    var text = ""
    if let statistics = outcome.statistics {
      var rows: [[String]] = [
        [
          "layer", "op", "output", "weight", "overflows", "underflows",
          "used bits",
          "SQNR local dB", "SQNR e2e dB", "mean err LSB",
        ]
      ]
      let input = statistics.input
      rows.append([
        "(input)", "", format(input.format), "", "\(input.overflow.total)",
        "\(input.underflowToZero)", usedBits(input), "",
        decibels(input.endToEnd?.sqnr),
        fixed(input.endToEnd?.meanErrorLSB),
      ])
      for layer in statistics.layers {
        let output = layer.output
        rows.append([
          layer.name,
          layer.opType + label(layer),
          format(output.format), layer.weight.map { format($0.format) } ?? "",
          "\(layer.totalOverflows)", "\(output.underflowToZero)",
          usedBits(output),
          decibels(output.local?.sqnr), decibels(output.endToEnd?.sqnr),
          fixed(output.local?.meanErrorLSB),
        ])
      }
      text += TextTable.render(rows) + "\n"
      text +=
        "\(statistics.totalOverflows) overflow events; top-1 agreement with float \(percent(statistics.top1Agreement))\n"
    }
    let samples = outcome.output.shape.first ?? 0
    var line = "\(samples) samples"
    if let top1 = outcome.top1 {
      line += "; top-1 \(percent(top1))"
      if let float = outcome.statistics?.floatTop1 {
        line += " (float \(percent(float)))"
      }
      if let top5 = outcome.top5 { line += ", top-5 \(percent(top5))" }
    } else {
      line += " (no --labels: no accuracy)"
    }
    return text + line
  }

  /// The JSON report: accuracy, then per-layer §9 statistics.
  static func json(
    _ outcome: RunOutcome, model: String, precision: String?
  ) -> String {
    var object: [String: Any] = [
      "model": model, "mode": precision == nil ? "float" : "fixed",
      "samples": outcome.output.shape.first ?? 0,
      "top1": number(outcome.top1), "top5": number(outcome.top5),
      "execute_seconds": number(outcome.executeSeconds),
    ]
    if let precision { object["precision"] = precision }
    if let statistics = outcome.statistics {
      object["float_top1"] = number(statistics.floatTop1)
      object["top1_agreement"] = number(statistics.top1Agreement)
      object["total_overflows"] = statistics.totalOverflows
      object["input"] = role(statistics.input)
      object["layers"] = statistics.layers.map(layer)
      var macs: [String: Int] = [:]
      for (format, count) in statistics.macs {
        macs[format.description] = count
      }
      object["macs"] = macs
      object["bits_moved"] = statistics.bitsMoved.values.reduce(0, &+)
    }
    return JSONOutput.encode(object)
  }

  /// " (float)" for a float island, " (integer)" for a non-linear node run
  /// by an integer kernel, "" otherwise.
  static func label(_ layer: LayerStatistics) -> String {
    guard layer.kind == .floatIsland else { return "" }
    return layer.nonlinear == .integer ? " (integer)" : " (float)"
  }

  static func layer(_ layer: LayerStatistics) -> [String: Any] {
    var object: [String: Any] = [
      "name": layer.name, "op": layer.opType, "kind": layer.kind.rawValue,
      "float_island": layer.kind == .floatIsland && layer.nonlinear == .float,
      "output": role(layer.output),
      "overflows": layer.totalOverflows,
      "underflows": layer.output.underflowToZero,
      "used_bits": layer.output.usedBits,
      "sqnr_local_db": number(layer.output.local?.sqnr.value),
      "sqnr_end_to_end_db": number(layer.output.endToEnd?.sqnr.value),
      "mean_error_lsb": number(layer.output.local?.meanErrorLSB),
      "input_requantization_overflows": counts(layer.inputRequantization),
      "macs": layer.macs,
    ]
    if let weight = layer.weight { object["weight"] = role(weight) }
    if let bias = layer.bias { object["bias"] = role(bias) }
    if let accumulator = layer.accumulator {
      object["accumulator"] = role(accumulator)
    }
    if let format = layer.macFormat {
      object["mac_format"] = format.description
    }
    if layer.nonlinear == .integer { object["nonlinear"] = "integer" }
    return object
  }

  /// One tensor role's statistics.
  static func role(_ statistics: TensorStatistics) -> [String: Any] {
    var object: [String: Any] = [
      "elements": statistics.elements, "overflows": counts(statistics.overflow),
      "underflow_to_zero": statistics.underflowToZero,
    ]
    if let format = statistics.format {
      object["format"] = formatJSON(format)
      object["max_abs_raw"] = statistics.maxAbsRaw
      object["used_bits"] = statistics.usedBits
      object["headroom_bits"] = statistics.headroomBits
    } else {
      object["format"] = ["float": true]
    }
    if let steps = statistics.stepOverflow {
      object["step_overflows"] = counts(steps)
    }
    if let local = statistics.local { object["local"] = error(local) }
    if let endToEnd = statistics.endToEnd {
      object["end_to_end"] = error(endToEnd)
    }
    return object
  }

  static func error(_ statistics: ErrorStatistics) -> [String: Any] {
    [
      "sqnr_db": number(statistics.sqnr.value),
      "mean_error_lsb": number(statistics.meanErrorLSB),
      "max_abs_error": number(statistics.maxAbsError),
      "l1": number(statistics.l1),
      "l2": number(statistics.l2), "count": statistics.count,
    ]
  }

  static func counts(_ counts: OverflowCounts) -> [String: Any] {
    [
      "positive": counts.positive, "negative": counts.negative,
      "total": counts.total,
    ]
  }

  static func formatJSON(_ format: QFormat) -> [String: Any] {
    [
      "bits": format.bits, "fl": format.fractionalLength,
      "signed": format.isSigned,
      "symmetric": format.isSymmetric,
    ]
  }

  /// A JSON number; +∞ and −∞ as the strings "inf" and "-inf" (an SQNR
  /// with zero noise), NaN and `nil` as null (an SQNR with zero signal).
  static func number(_ value: Double?) -> Any {
    guard let value, !value.isNaN else { return NSNull() }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return value
  }

  /// `8b fl4`, `float` for a float island, empty when unknown.
  static func format(_ format: QFormat?) -> String {
    guard let format else { return "float" }
    return "\(format.bits)b fl\(format.fractionalLength)"
      + (format.isSigned ? "" : " u")
  }

  static func usedBits(_ statistics: TensorStatistics) -> String {
    guard let format = statistics.format else { return "" }
    return "\(statistics.usedBits)/\(format.bits)"
  }

  static func decibels(_ value: SignalToNoise?) -> String {
    switch value {
    case .decibels(let d): String(format: "%.2f", d)
    case .infinite: "+inf"
    case .undefined: "undef"
    case nil: ""
    }
  }

  static func fixed(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "" }
    return String(format: "%+.3f", value)
  }

  /// `98.15%`.
  static func percent(_ value: Double) -> String {
    String(format: "%.2f%%", value * 100)
  }
}
