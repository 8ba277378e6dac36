import Diagnostics
import Evaluation
import Foundation
import HardwareModel
import SpecFormats

/// Runs the fit and writes `calibrate`'s device file.
enum CalibrationOutput {
  /// Fits (or, with `fit` false, only predicts) and maps a library failure
  /// to a located diagnostic.
  static func report(
    _ inputs: CalibrationInputs, tied: Bool, fit: Bool, held: [String] = []
  ) throws(CommandFailure) -> CalibrationReport {
    let all = FreeParameter.parameters(of: inputs.device, tied: tied)
    let parameters: [FreeParameter]
    switch FreeParameter.holding(held, in: all) {
    case .success(let holding): parameters = holding
    case .failure(let unknown):
      let names = unknown.names.map { "'\($0)'" }.joined(separator: ", ")
      throw CommandFailure(
        .error(
          "--hold names \(names), not \(unknown.names.count == 1 ? "a free parameter" : "free parameters") of \(inputs.device.name)",
          at: SourceLocation(file: inputs.hardwareFile),
          hint: all.isEmpty
            ? "the device declares no free parameter"
            : "its free parameters: \(all.map(\.name).joined(separator: ", "))"
        ))
    }
    if fit, !parameters.isEmpty, parameters.allSatisfy(\.isHeld) {
      throw CommandFailure(
        .error(
          "--hold holds every free parameter of \(inputs.device.name); nothing is left to fit",
          at: SourceLocation(file: inputs.hardwareFile),
          hint: "hold fewer, or check the device with --no-fit"))
    }
    do throws(CalibrationFailure) {
      return fit
        ? try LatencyCalibrator.calibrate(
          inputs.measurements, on: inputs.device, parameters: parameters)
        : try LatencyCalibrator.assess(
          inputs.measurements, on: inputs.device, parameters: parameters)
    } catch {
      throw CommandFailure(diagnostic(error, inputs: inputs))
    }
  }

  static func diagnostic(
    _ failure: CalibrationFailure, inputs: CalibrationInputs
  )
    -> Diagnostic
  {
    let measurements = inputs.measurements.first?.label.split(separator: ":")
      .dropLast().joined(separator: ":")
    switch failure {
    case .noFreeParameters(let device):
      return .error(
        "the device '\(device)' has no free parameter to fit",
        at: SourceLocation(file: inputs.hardwareFile),
        hint:
          "declare the figures to fit in a 'runtime:' block (cpu, gpu, mcu: e.g. dense: {value: 0.5, fitted_to: \"starting value\"}; npu, fpga: dispatch only) or an 'efficiency:' table, or check the device with --no-fit"
      )
    case .noMeasurements:
      return .error(
        "no measurement to fit to",
        at: measurements.map { SourceLocation(file: $0) },
        hint: "every row was skipped; name bundled models or model files")
    case .tooFewModels(let found):
      return .error(
        "leave-one-model-out needs measurements of at least 2 models; the rows name \(found.count) (\(found.joined(separator: ", ")))",
        at: measurements.map { SourceLocation(file: $0) },
        hint: "add rows of another model, or check the device with --no-fit")
    case .infeasible(let label, let reason):
      return .error(
        "the measured model cannot run on \(inputs.device.name): \(reason)",
        at: inputs.locations[label],
        hint: "check the row's precision and batch against the device")
    }
  }

  /// Writes the hardware file's text with the fitted factors, after
  /// checking that it reads back as the fitted device.
  static func write(
    _ report: CalibrationReport, inputs: CalibrationInputs,
    measurementsFile: String, to path: String
  ) throws(CommandFailure) {
    let provenance = report.provenance(source: measurementsFile)
    let holds = report.parameters.filter(\.isHeld).map {
      " --hold \($0.name)"
    }.joined()
    var comment = [
      "Fitted by `edgesim calibrate \(measurementsFile) --hardware \(inputs.hardwareFile)\(holds)`;",
      "each fitted_to names the rows and the error. Comments above describe the figures before the fit.",
    ]
    if !holds.isEmpty {
      comment.append(
        "Held, not fitted (value and fitted_to as before): \(report.parameters.filter(\.isHeld).map(\.name).joined(separator: ", "))."
      )
    }
    let text: String
    // A held parameter keeps its value and its provenance.
    let held = Set(report.parameters.filter(\.isHeld).map(\.name))
    if var runtime = report.device.runtime {
      for parameter in RuntimeParameter.allCases
      where !held.contains("runtime.\(parameter.rawValue)") {
        runtime.parameters[parameter]?.fittedTo = provenance
      }
      text = EfficiencyWriter.rewrite(
        inputs.hardwareText, runtime: runtime, comment: comment)
    } else {
      var factors = inputs.device.efficiency
      for operatorClass in OperatorClass.allCases
      where !held.contains("efficiency.\(operatorClass.rawValue)")
        && !held.contains("efficiency")
      {
        guard let value = report.device.efficiency[operatorClass]?.value
        else {
          continue
        }
        factors[operatorClass] = CalibrationFactor(
          value: value, fittedTo: provenance)
      }
      text = EfficiencyWriter.rewrite(
        inputs.hardwareText, efficiency: factors, comment: comment)
    }
    let reread = HardwareLoader.read(bytes: Array(text.utf8), fileName: path)
    guard let device = reread.value,
      device.efficiency.mapValues(\.value)
        == report.device.efficiency.mapValues(\.value),
      sameFigures(device.runtime, report.device.runtime)
    else {
      throw CommandFailure(
        [
          .error(
            "the fitted device file does not read back as the fitted device",
            at: SourceLocation(file: path),
            hint:
              "the hardware file's 'efficiency' or 'runtime' block could not be rewritten; write the figures by hand"
          )
        ] + reread.diagnostics)
    }
    do throws(FileIO.WriteFailure) {
      try FileIO.writeAtomically(Data(text.utf8), to: path)
    } catch {
      throw CommandFailure(
        .error(
          "cannot write the device file: \(error.reason)",
          at: SourceLocation(file: path)))
    }
  }

  /// Whether two runtime models hold the same figures (to a part in 10^12:
  /// `dispatch` is written in microseconds).
  static func sameFigures(_ a: RuntimeModel?, _ b: RuntimeModel?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    guard Set(a.parameters.keys) == Set(b.parameters.keys) else { return false }
    return a.parameters.allSatisfy { key, figure in
      let other = b.parameters[key]?.value ?? .nan
      return abs(figure.value - other) <= 1e-12 * max(abs(other), 1e-300)
    }
  }
}
