import Evaluation
import Foundation
import HardwareModel

/// `calibrate`'s report as text, JSON and a Markdown section.
enum CalibrationRendering {
  /// Milliseconds with three significant figures' worth of decimals.
  static func milliseconds(_ seconds: Double) -> String {
    let value = seconds * 1000
    let decimals = value >= 100 ? 1 : value >= 10 ? 2 : 3
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    let digits = text.split(separator: ".").last?.count ?? 0
    if text.contains("."), digits < decimals {
      text += String(repeating: "0", count: decimals - digits)
    }
    return text
  }

  /// A parameter's value with six significant digits (`2.05509e-05`, not
  /// the shortest round-tripping `2.0550899999999997e-05`).
  static func figure(_ value: Double) -> String {
    String(format: "%.6g", value)
  }

  /// A count and its noun, plural unless one (`1 row`, `2 rows`).
  static func count(_ number: Int, _ noun: String) -> String {
    "\(number) \(noun)\(number == 1 ? "" : "s")"
  }

  /// A signed relative error as a percentage.
  static func signed(_ fraction: Double) -> String {
    (fraction >= 0 ? "+" : "") + CalibrationReport.percent(fraction)
  }

  static func summaryLine(_ name: String, _ summary: ErrorSummary?) -> String? {
    summary.map {
      "\(name): median |error| \(CalibrationReport.percent($0.median)), worst \(CalibrationReport.percent($0.worst)) (\($0.worstLabel)), \(count($0.count, "measurement"))"
    }
  }

  /// The rows of the report table.
  static func rows(_ report: CalibrationReport, inputs: CalibrationInputs)
    -> [[String]]
  {
    var rows = [
      [
        "row", "model", "precision", "batch", "measured ms", "as given ms",
        "error",
      ]
        + (report.isFitted
          ? ["fitted ms", "error", "held-out ms", "error"] : [])
    ]
    for (row, measurement) in zip(report.predictions, inputs.measurements) {
      var cells = [
        row.label, row.model, precisionName(measurement),
        "\(measurement.options.batch)", milliseconds(row.measured),
        milliseconds(row.initial), signed(row.error(of: row.initial)),
      ]
      if report.isFitted {
        for prediction in [row.fitted, row.heldOut] {
          if let prediction {
            cells.append(milliseconds(prediction))
            cells.append(signed(row.error(of: prediction)))
          } else {
            cells += ["-", "-"]
          }
        }
      }
      rows.append(cells)
    }
    return rows
  }

  static func precisionName(_ measurement: LatencyMeasurement) -> String {
    if case .uniform(let precision) = measurement.options.precision {
      return precision.rawValue
    }
    return "native"
  }

  /// The plain-text report.
  static func text(_ report: CalibrationReport, inputs: CalibrationInputs)
    -> String
  {
    var lines = [
      "\(report.device.name): \(count(report.predictions.count, "measurement")) of \(count(report.models.count, "model")) (\(report.models.joined(separator: ", ")))"
    ]
    lines += notes(inputs)
    lines.append("")
    if report.isFitted {
      lines.append(
        "parameters (bounded Levenberg–Marquardt on log latency; held-out: fitted without the row's model):"
      )
    } else {
      lines.append("parameters (not fitted):")
    }
    for parameter in report.parameters {
      lines.append(
        parameter.isHeld && report.isFitted
          ? "  \(parameter.name): \(figure(parameter.initial)) (held, not fitted)"
          : "  \(parameter.name): \(figure(parameter.initial)) -> \(figure(parameter.fitted))"
      )
    }
    lines.append("")
    lines.append(TextTable.render(rows(report, inputs: inputs)))
    lines.append("")
    lines += [
      summaryLine("as given", report.initialSummary),
      summaryLine("fitted (in sample)", report.fittedSummary),
      summaryLine("leave-one-model-out", report.heldOutSummary),
    ].compactMap { $0 }
    return lines.joined(separator: "\n") + "\n"
  }

  /// What was left out, in sentences.
  static func notes(_ inputs: CalibrationInputs) -> [String] {
    var lines: [String] = []
    if !inputs.skipped.isEmpty {
      var models: [String] = []
      for (_, model) in inputs.skipped where !models.contains(model) {
        models.append(model)
      }
      lines.append(
        "skipped \(count(inputs.skipped.count, "row")) whose model cannot be loaded (\(inputs.skipped.count == 1 ? "line" : "lines") \(inputs.skipped.map { "\($0.line)" }.joined(separator: ", "))): \(models.joined(separator: ", "))"
      )
    }
    if inputs.otherRows > 0 {
      lines.append(
        "\(count(inputs.otherRows, "row")) of other devices or runtimes not used"
      )
    }
    return lines
  }

  /// The JSON report.
  static func json(_ report: CalibrationReport, inputs: CalibrationInputs)
    -> String
  {
    func summary(_ s: ErrorSummary?) -> Any {
      guard let s else { return NSNull() }
      return [
        "count": s.count, "median": s.median, "worst": s.worst,
        "worst_row": s.worstLabel,
      ] as [String: Any]
    }
    let rows: [[String: Any]] = zip(report.predictions, inputs.measurements)
      .map { row, measurement in
        var object: [String: Any] = [
          "row": row.label, "model": row.model,
          "precision": precisionName(measurement),
          "batch": measurement.options.batch,
          "measured_ms": row.measured * 1000,
          "as_given_ms": row.initial * 1000,
          "as_given_error": row.error(of: row.initial),
        ]
        if let fitted = row.fitted {
          object["fitted_ms"] = fitted * 1000
          object["fitted_error"] = row.error(of: fitted)
        }
        if let heldOut = row.heldOut {
          object["held_out_ms"] = heldOut * 1000
          object["held_out_error"] = row.error(of: heldOut)
        }
        return object
      }
    return JSONOutput.encode(
      [
        "device": report.device.name, "fitted": report.isFitted,
        "models": report.models,
        "parameters": report.parameters.map {
          [
            "name": $0.name, "initial": $0.initial, "fitted": $0.fitted,
            "held": $0.isHeld,
          ] as [String: Any]
        },
        "measurements": rows,
        "skipped": inputs.skipped.map {
          ["line": $0.line, "model": $0.model] as [String: Any]
        },
        "as_given": summary(report.initialSummary),
        "in_sample": summary(report.fittedSummary),
        "leave_one_model_out": summary(report.heldOutSummary),
      ] as [String: Any])
  }

  /// A Markdown section for `Documentation/Validation.md`: the device, what
  /// is fitted and what is predicted, every row and the summaries.
  static func markdown(_ report: CalibrationReport, inputs: CalibrationInputs)
    -> String
  {
    let heading =
      report.isFitted
      ? "refitted, leave-one-model-out" : "as committed, every row predicted"
    var lines = ["### \(report.device.name): \(heading)", ""]
    lines.append(
      "\(count(report.predictions.count, "measurement")) of \(count(report.models.count, "model")) (\(report.models.map { "`\($0)`" }.joined(separator: ", "))) from `\(inputs.hardwareFile)`."
    )
    lines += notes(inputs).map { "- " + $0 + "." }
    lines.append("")
    if report.parameters.isEmpty {
      lines.append(
        "Fitted: nothing (the device declares no free parameter); every row is a prediction."
      )
    } else if report.isFitted {
      lines.append(
        "Fitted: \(report.parameters.map { $0.isHeld ? "`\($0.name)` \(figure($0.initial)) (held, not fitted)" : "`\($0.name)` \(figure($0.initial)) → \(figure($0.fitted))" }.joined(separator: ", ")). *Fitted* is the in-sample fit to every row below; *held out* predicts each model with a fit to the other models only."
      )
    } else {
      lines.append(
        "Fitted (as committed): \(report.parameters.map { "`\($0.name)` = \(figure($0.initial))" }.joined(separator: ", ")), fitted to: \(Set(report.parameters.map(\.initialFittedTo)).sorted().joined(separator: "; ")). Rows other than that measurement are predictions."
      )
    }
    lines.append("")
    let table = rows(report, inputs: inputs)
    if let header = table.first {
      lines.append("| " + header.joined(separator: " | ") + " |")
      lines.append("|" + header.map { _ in "---" }.joined(separator: "|") + "|")
      for var row in table.dropFirst() {
        // The file's name without its folder: the section names the file.
        row[0] = row[0].split(separator: "/").last.map(String.init) ?? row[0]
        lines.append("| " + row.joined(separator: " | ") + " |")
      }
    }
    lines.append("")
    lines += [
      summaryLine("As given", report.initialSummary),
      summaryLine("Fitted (in sample)", report.fittedSummary),
      summaryLine("Leave-one-model-out", report.heldOutSummary),
    ].compactMap { $0.map { "- " + $0 + "." } }
    return lines.joined(separator: "\n") + "\n"
  }
}
