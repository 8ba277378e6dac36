import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// `edgesim calibrate --hold`: a named free parameter keeps the device
/// file's value and provenance while the others are fitted, through the
/// front door, in-process.
@Suite struct CalibrateHoldCommandTests {
  /// The stm32l4r5 file with a `runtime:` block of these figures; `dense`
  /// records `denseSource` as its provenance.
  static func device(
    dispatch: String, dense: Double, depthwise: Double,
    denseSource: String = "test"
  ) throws -> String {
    try RuntimeCalibrationCommandTests.stm32(runtime: [
      "dispatch: {value: \(dispatch), fitted_to: \"test\"}",
      "dense: {value: \(dense), fitted_to: \"\(denseSource)\"}",
      "depthwise: {value: \(depthwise), fitted_to: \"test\"}",
    ])
  }

  /// Measurements of lenet5 and a depthwise network made by the model with
  /// known figures (dispatch 40 µs, dense 0.08, depthwise 0.03), written to
  /// `m.csv` in the folder.
  static func measurements(in folder: TemporaryFolder) async throws -> String {
    let truth = folder.path("truth.yaml")
    try device(dispatch: "40 us", dense: 0.08, depthwise: 0.03).write(
      toFile: truth, atomically: true, encoding: .utf8)
    let dwnet = folder.path("dwnet.yaml")
    try """
    name: dwnet
    input: {name: input, shape: [1, 16, 24, 24]}
    layers:
      - {name: dw1, op: conv, depthwise: true, kernel: 3, padding: 1, activation: relu}
      - {name: pw1, op: conv, filters: 32, kernel: 1, activation: relu}
      - {name: dw2, op: conv, depthwise: true, kernel: 3, stride: 2, padding: 1, activation: relu}
      - {name: pw2, op: conv, filters: 32, kernel: 1, activation: relu}
    """.write(toFile: dwnet, atomically: true, encoding: .utf8)
    var lines = ["device,model,precision,batch,latency_ms,regime,runtime"]
    for (model, batch) in [
      ("lenet5", 1), ("lenet5", 4), (dwnet, 1), (dwnet, 2),
    ] {
      let latency = try await RuntimeCalibrationCommandTests.simulated(
        truth, model, batch: batch)
      lines.append("stm32l4r5,\(model),int8,\(batch),\(latency),steady,TFLM")
    }
    let path = folder.path("m.csv")
    try lines.joined(separator: "\n").write(
      toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Each parameter of a JSON report by name.
  static func parameters(_ text: String) throws -> [String: [String: Any]] {
    let report = try RuntimeCalibrationCommandTests.json(text)
    var result: [String: [String: Any]] = [:]
    for parameter in try #require(
      report["parameters"] as? [[String: Any]])
    {
      result[parameter["name"] as? String ?? ""] = parameter
    }
    return result
  }

  /// Holding `dense` at its true value, the fit recovers the two others;
  /// the report marks `dense` held, and the written file keeps its value
  /// and its provenance while the fitted figures get the fit's.
  @Test func aHeldParameterKeepsItsValueAndTheOthersAreFitted() async throws {
    let folder = try TemporaryFolder()
    let measurements = try await Self.measurements(in: folder)
    let start = folder.path("start.yaml")
    try Self.device(
      dispatch: "300 us", dense: 0.08, depthwise: 0.5,
      denseSource: "a datasheet figure"
    ).write(toFile: start, atomically: true, encoding: .utf8)
    let out = folder.path("fitted.yaml")
    let run = await EdgeSimMain.capture([
      "calibrate", measurements, "--hardware", start, "--out", out,
      "--hold", "runtime.dense", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let fitted = try Self.parameters(run.standardOutput)
    let dense = try #require(fitted["runtime.dense"])
    #expect(dense["held"] as? Bool == true)
    #expect(dense["fitted"] as? Double == 0.08)
    for (name, value) in ["runtime.dispatch": 40e-6, "runtime.depthwise": 0.03]
    {
      let parameter = try #require(fitted[name], "\(name) missing")
      #expect(parameter["held"] as? Bool == false)
      let got = try #require(parameter["fitted"] as? Double)
      #expect(abs(got / value - 1) < 0.01, "\(name): \(got) against \(value)")
    }
    let written = try String(contentsOfFile: out, encoding: .utf8)
    #expect(written.contains("--hold runtime.dense"))
    #expect(written.contains("fitted_to: \"a datasheet figure\""))
    #expect(written.contains("fitted_to: \"edgesim calibrate on"))
    // The written file, read back, has dense unchanged and the others moved.
    let check = await EdgeSimMain.capture([
      "calibrate", measurements, "--hardware", out, "--no-fit", "--json",
    ])
    #expect(check.status == 0, "\(check.standardError)")
    let reread = try Self.parameters(check.standardOutput)
    #expect(reread["runtime.dense"]?["initial"] as? Double == 0.08)
    let dispatch = try #require(
      reread["runtime.dispatch"]?["initial"] as? Double)
    #expect(abs(dispatch / 40e-6 - 1) < 0.01)
  }

  /// The text report says which parameter was held.
  @Test func theTextReportSaysTheParameterWasHeld() async throws {
    let folder = try TemporaryFolder()
    let measurements = try await Self.measurements(in: folder)
    let start = folder.path("start.yaml")
    try Self.device(dispatch: "300 us", dense: 0.5, depthwise: 0.5).write(
      toFile: start, atomically: true, encoding: .utf8)
    let run = await EdgeSimMain.capture([
      "calibrate", measurements, "--hardware", start, "--out",
      folder.path("fitted.yaml"), "--hold", "runtime.depthwise",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    #expect(
      run.standardOutput.contains("runtime.depthwise: 0.5 (held, not fitted)"))
    #expect(run.standardOutput.contains("runtime.dispatch: 0.0003 -> "))
  }

  /// A name that is not a free parameter of the device is an error that
  /// lists the device's free parameters; holding all of them leaves
  /// nothing to fit, also an error.
  @Test func anUnknownOrExhaustiveHoldIsAnError() async throws {
    let folder = try TemporaryFolder()
    let measurements = try await Self.measurements(in: folder)
    let start = folder.path("start.yaml")
    try Self.device(dispatch: "300 us", dense: 0.5, depthwise: 0.5).write(
      toFile: start, atomically: true, encoding: .utf8)
    let unknown = await EdgeSimMain.capture([
      "calibrate", measurements, "--hardware", start, "--out",
      folder.path("a.yaml"), "--hold", "runtime.memory",
    ])
    #expect(unknown.status != 0)
    #expect(unknown.standardError.contains("'runtime.memory'"))
    #expect(
      unknown.standardError.contains(
        "runtime.dispatch, runtime.dense, runtime.depthwise"))
    #expect(!FileManager.default.fileExists(atPath: folder.path("a.yaml")))
    let all = await EdgeSimMain.capture(
      [
        "calibrate", measurements, "--hardware", start, "--out",
        folder.path("b.yaml"),
      ]
        + ["runtime.dispatch", "runtime.dense", "runtime.depthwise"].flatMap {
          ["--hold", $0]
        })
    #expect(all.status != 0)
    #expect(all.standardError.contains("nothing is left to fit"))
  }
}
