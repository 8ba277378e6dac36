import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// An accelerator's runtime `dispatch` (a fixed time per issued layer added
/// to the array's time; issue #15), and the held-out set, through the front
/// door, in-process.
@Suite struct AcceleratorDispatchCommandTests {
  static let root = EdgeSimProcess.root.path

  /// Three issued layers (a conv with its ReLU fused, a pool, a dense
  /// layer) and a flatten, a view that issues nothing.
  static let network = """
    name: three
    input: {name: input, shape: [1, 8, 16, 16]}
    layers:
      - {name: conv, op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}
      - {name: pool, op: max_pool, kernel: 2, stride: 2}
      - {name: flatten, op: flatten}
      - {name: fc, op: fc, units: 10}
    """

  /// A residual block: two convolutions, their Add (with its ReLU) linked
  /// into the second, then an Add of two pools, which no product wrote.
  static let residual = """
    name: residual
    input: {name: input, shape: [1, 8, 16, 16]}
    layers:
      - {name: a, op: conv, filters: 8, kernel: 3, padding: 1, activation: relu}
      - {name: b, op: conv, filters: 8, kernel: 3, padding: 1}
      - {name: sum, op: add, activation: relu, inputs: [a, b]}
      - {name: p, op: max_pool, kernel: 2, stride: 2, inputs: [sum]}
      - {name: q, op: avg_pool, kernel: 2, stride: 2, inputs: [sum]}
      - {name: join, op: add, inputs: [p, q]}
    """

  /// The bundled 32x32 systolic array with a runtime block of `dispatch`.
  static func device(in folder: TemporaryFolder, dispatch: String?) throws
    -> String
  {
    var text = try String(
      contentsOfFile: "\(root)/Hardware/systolic-32x32.yaml", encoding: .utf8)
    if let dispatch {
      text +=
        "runtime:\n  dispatch: {value: \(dispatch), fitted_to: \"test\"}\n"
    }
    let path = folder.path("npu-\(dispatch ?? "none").yaml")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func latency(
    _ hardware: String, _ model: String, precision: String = "int8"
  ) async throws -> Double {
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", hardware, "--model", model, "--precision",
      precision, "--no-trace", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any])
    let totals = try #require(json["totals"] as? [String: Any])
    return try #require(totals["latency_s"] as? Double)
  }

  /// `simulate` adds the dispatch once per issued layer: 3 × 20 µs here.
  @Test func simulateAddsTheDispatchPerIssuedLayer() async throws {
    let folder = try TemporaryFolder()
    let model = folder.path("three.yaml")
    try Self.network.write(toFile: model, atomically: true, encoding: .utf8)
    let bare = try await Self.latency(
      try Self.device(in: folder, dispatch: nil), model)
    let with = try await Self.latency(
      try Self.device(in: folder, dispatch: "20 us"), model)
    #expect(abs((with - bare) - 60e-6) < 1e-8, "\(with) - \(bare)")
  }

  /// A residual Add written by a convolution issues nothing of its own.
  ///
  /// Nor does the ReLU after it (TFLite's ADD carries it as its fused
  /// activation); an Add of two pools is issued: a, b, p, q and join are
  /// 5 × 20 µs. Without the linking it would be 7 × 20 µs.
  @Test func aResidualAddIsLinkedIntoItsConvolution() async throws {
    let folder = try TemporaryFolder()
    let model = folder.path("residual.yaml")
    try Self.residual.write(toFile: model, atomically: true, encoding: .utf8)
    let bare = try await Self.latency(
      try Self.device(in: folder, dispatch: nil), model)
    let with = try await Self.latency(
      try Self.device(in: folder, dispatch: "20 us"), model)
    #expect(abs((with - bare) - 100e-6) < 1e-8, "\(with) - \(bare)")
  }

  /// Measurements made with a 30 µs dispatch are fitted back to 30 µs from
  /// 2 µs, and the written file simulates to the measurements.
  @Test func calibrateFitsTheDispatchOfAnAccelerator() async throws {
    let folder = try TemporaryFolder()
    let three = folder.path("three.yaml")
    try Self.network.write(toFile: three, atomically: true, encoding: .utf8)
    let residual = folder.path("residual.yaml")
    try Self.residual.write(
      toFile: residual, atomically: true, encoding: .utf8)
    let truth = try Self.device(in: folder, dispatch: "30 us")
    var lines = ["device,model,precision,batch,latency_ms,regime,runtime"]
    for model in [three, "lenet5", residual] {
      let seconds = try await Self.latency(truth, model)
      lines.append("systolic-32x32,\(model),int8,1,\(seconds * 1000),steady,x")
    }
    try lines.joined(separator: "\n").write(
      toFile: folder.path("m.csv"), atomically: true, encoding: .utf8)
    let out = folder.path("fitted.yaml")
    let run = await EdgeSimMain.capture([
      "calibrate", folder.path("m.csv"), "--hardware",
      try Self.device(in: folder, dispatch: "2 us"), "--out", out, "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let report = try #require(
      JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any])
    let parameters = try #require(report["parameters"] as? [[String: Any]])
    #expect(parameters.count == 1)
    #expect(parameters.first?["name"] as? String == "runtime.dispatch")
    let fitted = try #require(parameters.first?["fitted"] as? Double)
    #expect(abs(fitted / 30e-6 - 1) < 1e-3, "\(fitted)")
    let lenet = try await Self.latency(out, "lenet5")
    let measured = Double(lines[2].split(separator: ",")[4])! / 1000
    #expect(abs(lenet / measured - 1) < 1e-4)
  }

  /// A processor's figure in an accelerator's runtime block is an error at
  /// its key.
  @Test func aProcessorFigureOnAnAcceleratorIsLocated() async throws {
    let folder = try TemporaryFolder()
    var text = try String(
      contentsOfFile: "\(Self.root)/Hardware/systolic-32x32.yaml",
      encoding: .utf8)
    text += "runtime:\n  dispatch: {value: 5 us, fitted_to: \"t\"}\n"
    text += "  dense: {value: 0.5, fitted_to: \"t\"}\n"
    let path = folder.path("bad.yaml")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", path, "--model", "lenet5", "--no-trace",
    ])
    #expect(run.status != 0)
    let line = text.split(separator: "\n", omittingEmptySubsequences: false)
      .firstIndex { $0.hasPrefix("  dense:") }.map { $0 + 1 }
    #expect(run.standardError.contains("bad.yaml:\(line ?? 0):"))
    #expect(run.standardError.contains("error: 'dense' describes"))
    #expect(run.standardError.contains("declares only 'dispatch'"))
  }

  /// Every row of the held-out set names a bundled model that the committed
  /// device simulates; `calibrate --no-fit` predicts what `simulate` prints.
  @Test func theHeldOutRowsSimulate() async throws {
    let run = await EdgeSimMain.capture([
      "calibrate", "\(Self.root)/Hardware/measurements/held-out.csv",
      "--hardware", "pixel3-cpu", "--no-fit", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let report = try #require(
      JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any])
    let rows = try #require(report["measurements"] as? [[String: Any]])
    #expect(rows.count == 3)
    let first = try #require(rows.first?["as_given_ms"] as? Double)
    let posenet = try await Self.latency(
      "pixel3-cpu", "posenet_mobilenet_v1_100_257", precision: "fp32")
    #expect(abs(first / (posenet * 1000) - 1) < 1e-6)
  }
}
