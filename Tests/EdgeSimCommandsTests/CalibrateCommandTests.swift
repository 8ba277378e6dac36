import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// `edgesim calibrate` through the front door, in-process.
@Suite struct CalibrateCommandTests {
  static let root = EdgeSimProcess.root.path

  /// A folder with a device file (the STM32 with one `efficiency` factor
  /// per operator class in place of its `runtime:` block), a dense model
  /// and a measurements file of it and the bundled LeNet-5.
  static func fixture(rows: [String]) throws -> TemporaryFolder {
    let folder = try TemporaryFolder()
    let bundled = try String(
      contentsOfFile: "\(root)/Hardware/stm32l4r5.yaml", encoding: .utf8)
    let classes = [
      "conv", "depthwise", "gemm", "pool", "elementwise", "softmax",
    ]
    let efficiency =
      "efficiency:\n"
      + classes.map { "  \($0): {value: 0.054, fitted_to: \"test\"}" }
      .joined(separator: "\n")
    try bundled.replacingOccurrences(
      of: #"runtime:\n(  .*\n)+"#, with: efficiency + "\n",
      options: .regularExpression
    ).write(toFile: folder.path("dev.yaml"), atomically: true, encoding: .utf8)
    try """
    name: dense
    input: {name: input, shape: [1, 512]}
    layers:
      - {name: f1, op: fc, units: 256}
      - {name: f2, op: fc, units: 128}
    """.write(
      toFile: folder.path("dense.yaml"), atomically: true, encoding: .utf8)
    try
      (["device,model,precision,batch,latency_ms,regime,runtime,notes"] + rows)
      .joined(separator: "\n")
      .replacingOccurrences(of: "DENSE", with: folder.path("dense.yaml"))
      .write(toFile: folder.path("m.csv"), atomically: true, encoding: .utf8)
    return folder
  }

  static let rows = [
    "stm32l4r5,lenet5,int8,1,60,steady,TFLM,\"a, quoted note\"",
    "stm32l4r5,DENSE,int8,1,20,steady,TFLM,",
    "stm32l4r5,DENSE,int8,2,38,steady,TFLM,",
    "other-device,lenet5,int8,1,1,steady,TFLM,",
  ]

  /// The written device file reads back, and simulating it reproduces the
  /// fitted predictions; the report has every row, in sample and held out.
  @Test func writesAFittedDeviceThatReproducesTheFit() async throws {
    let folder = try Self.fixture(rows: Self.rows)
    let out = folder.path("fitted.yaml")
    let run = await EdgeSimMain.capture([
      "calibrate", folder.path("m.csv"), "--hardware", folder.path("dev.yaml"),
      "--tied", "--out", out, "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let report = try #require(
      JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any])
    let rows = try #require(report["measurements"] as? [[String: Any]])
    #expect(rows.count == 3)
    #expect(rows.allSatisfy { $0["held_out_ms"] is Double })
    let parameters = try #require(report["parameters"] as? [[String: Any]])
    let fitted = try #require(parameters.first?["fitted"] as? Double)
    let written = try String(contentsOfFile: out, encoding: .utf8)
    #expect(
      written.contains(
        "conv: {value: \(fitted), fitted_to: \"edgesim calibrate on"))
    #expect(written.contains("lines 2, 3, 4"))
    for (index, model) in ["lenet5", folder.path("dense.yaml")].enumerated() {
      let simulated = await EdgeSimMain.capture([
        "simulate", "--hardware", out, "--model", model, "--precision", "int8",
        "--no-trace", "--json",
      ])
      #expect(simulated.status == 0, "\(simulated.standardError)")
      let summary = try #require(
        JSONSerialization.jsonObject(with: Data(simulated.standardOutput.utf8))
          as? [String: Any])
      let totals = try #require(summary["totals"] as? [String: Any])
      let latency = try #require(totals["latency_s"] as? Double)
      let predicted = try #require(rows[index]["fitted_ms"] as? Double)
      #expect(abs(latency * 1000 / predicted - 1) < 1e-6)
    }
    // The text report names the held-out error.
    let text = await EdgeSimMain.capture([
      "calibrate", folder.path("m.csv"), "--hardware", folder.path("dev.yaml"),
      "--tied", "--out", folder.path("fitted2.yaml"),
    ])
    #expect(text.status == 0)
    #expect(text.standardOutput.contains("leave-one-model-out: median |error|"))
    #expect(
      text.standardOutput.contains(
        "1 row of other devices or runtimes not used"))
  }

  /// An unknown model is an error at its cell, unless skipped and listed.
  @Test func unknownModelIsLocated() async throws {
    let folder = try Self.fixture(
      rows: Self.rows + ["stm32l4r5,no_such_net,int8,1,5,steady,TFLM,"])
    let arguments = [
      "calibrate", folder.path("m.csv"), "--hardware", folder.path("dev.yaml"),
      "--no-fit",
    ]
    let run = await EdgeSimMain.capture(arguments)
    #expect(run.status == 1)
    #expect(
      run.standardError.contains(
        "\(folder.path("m.csv")):6:11: error: cannot load the model 'no_such_net'"
      ))
    let skipped = await EdgeSimMain.capture(arguments + ["--skip-unknown"])
    #expect(skipped.status == 0, "\(skipped.standardError)")
    #expect(
      skipped.standardOutput.contains(
        "skipped 1 row whose model cannot be loaded (line 6): no_such_net"))
  }

  /// A device without free parameters, one model only, and an output that
  /// is an input are refused.
  @Test func refusals() async throws {
    let folder = try Self.fixture(rows: Self.rows)
    let csv = folder.path("m.csv")
    let bare = await EdgeSimMain.capture([
      "calibrate", csv, "--hardware", "systolic-32x32", "--device-name",
      "stm32l4r5",
      "--out", folder.path("o.yaml"),
    ])
    #expect(bare.status == 1)
    #expect(bare.standardError.contains("has no free parameter to fit"))
    let one = await EdgeSimMain.capture([
      "calibrate", csv, "--hardware", folder.path("dev.yaml"), "--runtime",
      "none",
      "--out", folder.path("o.yaml"),
    ])
    #expect(one.status == 1)
    #expect(
      one.standardError.contains(
        "no row names the device 'stm32l4r5' with a runtime containing 'none'"))
    let single = try Self.fixture(rows: [Self.rows[0]])
    let few = await EdgeSimMain.capture([
      "calibrate", single.path("m.csv"), "--hardware", single.path("dev.yaml"),
      "--out", single.path("o.yaml"),
    ])
    #expect(few.status == 1)
    #expect(
      few.standardError.contains("needs measurements of at least 2 models"))
    let same = await EdgeSimMain.capture([
      "calibrate", csv, "--hardware", folder.path("dev.yaml"),
      "--out", folder.path("dev.yaml"),
    ])
    #expect(same.status == 1)
    #expect(same.standardError.contains("names a file this command reads"))
  }
}
