import Foundation
import TestSupport
import Testing

@Suite struct SimulateTests {
  func tempFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("edgesim-simulate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test func defaultRunPrintsTheTableAndWritesATrace() throws {
    let folder = try tempFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try EdgeSimProcess.run(["simulate", "--trace", folder.path])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.contains("mobilenet_v2 on npu-32x32"))
    #expect(result.standardOutput.contains("latency"))
    for file in ["summary.json", "layers.csv", "trace.json"] {
      let data = try Data(contentsOf: folder.appendingPathComponent(file))
      #expect(!data.isEmpty, "\(file)")
    }
    let summary =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: folder.appendingPathComponent("summary.json")))
      as? [String: Any]
    #expect(summary?["schema"] as? String == "edgesim.trace/2")
    let chrome = try JSONSerialization.jsonObject(
      with: Data(contentsOf: folder.appendingPathComponent("trace.json")))
    #expect(chrome is [String: Any] || chrome is [Any])
  }

  @Test func everyBundledDeviceRunsAModel() throws {
    for device in [
      "coral-edgetpu-usb", "coral-host-cpu", "eyeriss-v1", "pixel3-cpu",
      "pixel3-gpu", "pynq-z1", "stm32l4r5",
      "systolic-32x32", "zc706-qiu2016",
    ] {
      let result = try EdgeSimProcess.run([
        "simulate", "--no-trace", "--json", "--hardware", device, "--model",
        "lenet5",
      ])
      #expect(result.status == 0, "\(device): \(result.standardError)")
      let object = try? JSONSerialization.jsonObject(
        with: Data(result.standardOutput.utf8))
      #expect(object != nil, "\(device)")
    }
  }

  @Test func shorthandPrecisionsAndBatch() throws {
    let int8 = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--hardware", "pixel3-cpu", "--model", "lenet5",
      "--precision", "int8",
    ])
    #expect(int8.status == 0)
    #expect(int8.standardOutput.contains("int8"))
    let batch = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--hardware", "pixel3-cpu", "--model", "lenet5",
      "--batch", "4",
    ])
    #expect(batch.status == 0)
    #expect(batch.standardOutput.contains("batch 4"))
  }

  @Test func errorsAreClear() throws {
    let unknownDevice = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--hardware", "eyeris-v1",
    ])
    #expect(unknownDevice.status == 1)
    #expect(unknownDevice.standardError.contains("did you mean 'eyeriss-v1'?"))
    let badPrecision = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--precision", "int9",
    ])
    #expect(badPrecision.status == 1)
    let unsupported = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--hardware", "coral-edgetpu-usb",
      "--precision", "fp32",
      "--model", "lenet5",
    ])
    #expect(unsupported.status == 1)
    #expect(unsupported.standardError.contains("cannot run"))
    #expect(try EdgeSimProcess.run(["simulate", "--batch", "0"]).status == 2)
  }

  @Test func precisionFileDrivesTheWidths() throws {
    let folder = try tempFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("p.yaml")
    try """
    input: {bits: 8, fl: 7}
    default:
      weight: {bits: 8, fl: 6}
      activation: {bits: 8, fl: 4}
    layers:
      fc3:
        weight: {bits: 4, fl: 3}
    """.write(to: file, atomically: true, encoding: .utf8)
    let result = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--hardware", "systolic-32x32", "--model",
      "lenet5",
      "--precision", file.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.contains("per-layer"))
    let bad = folder.appendingPathComponent("bad.yaml")
    try
      "input: {bits: 8, fl: 7}\ndefault: {weight: {bits: 8, fl: 6}}\nlayers:\n  fc9: {weight: {bits: 4}}\n"
      .write(to: bad, atomically: true, encoding: .utf8)
    let located = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--model", "lenet5", "--precision", bad.path,
    ])
    #expect(located.status == 1)
    #expect(
      located.standardError.contains("bad.yaml:4:3: error: unknown layer 'fc9'")
    )
  }

  @Test func compressionFileShrinksDRAMTrafficAndNamesAreChecked() throws {
    let folder = try tempFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let arguments = [
      "simulate", "--no-trace", "--json", "--hardware", "eyeriss-v1",
      "--model", "alexnet",
    ]
    let raw = try EdgeSimProcess.run(arguments)
    #expect(raw.status == 0, "\(raw.standardError)")
    let coded = try EdgeSimProcess.run(
      arguments + [
        "--compression", "Workloads/compression/alexnet-deep-compression.yaml",
      ])
    #expect(coded.status == 0, "\(coded.standardError)")
    func dramBytes(_ text: String) throws -> Int {
      let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
      let totals = (object as? [String: Any])?["totals"] as? [String: Any]
      return try #require(totals?["dram_bytes"] as? Int)
    }
    // Deep Compression shrinks AlexNet's FC weights more than tenfold.
    #expect(
      try dramBytes(coded.standardOutput) * 3 < dramBytes(raw.standardOutput))
    #expect(coded.standardOutput.contains("\"dram_coding\""))

    let bad = folder.appendingPathComponent("bad.yaml")
    try
      "weights:\n  density: 0.3\n  index_bits: 4\n  layers:\n    fc9: {density: 0.1}\n"
      .write(to: bad, atomically: true, encoding: .utf8)
    let located = try EdgeSimProcess.run(
      [
        "simulate", "--no-trace", "--model", "alexnet", "--compression",
        bad.path,
      ])
    #expect(located.status == 1)
    #expect(
      located.standardError.contains(
        "bad.yaml:5:5: error: 'weights.layers' names 'fc9', which is not a layer of alexnet"
      ),
      "\(located.standardError)")
    #expect(located.standardError.contains("did you mean 'fc6'?"))
    let missing = try EdgeSimProcess.run(
      ["simulate", "--no-trace", "--compression", "/nonexistent/c.yaml"])
    #expect(missing.status == 1)
    #expect(missing.standardError.contains("/nonexistent/c.yaml"))
  }

  /// `--data` measures the accuracy of the precision being simulated: the
  /// same figure `edgesim run` gives for the same precision file.
  @Test func dataGivesTheAccuracyOfTheSamePrecision() throws {
    let folder = try tempFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let plan = folder.appendingPathComponent("p8.yaml").path
    let model = "Workloads/digits/digits-plain.onnx"
    let data = "Workloads/digits/test-images.npy"
    let labels = "Workloads/digits/test-labels.npy"
    let quantize = try EdgeSimProcess.run([
      "quantize", "--model", model, "--data", data, "--bits", "8", "--out",
      plan,
    ])
    #expect(quantize.status == 0, "\(quantize.standardError)")
    let simulate = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--json", "--hardware", "systolic-32x32",
      "--model", model, "--precision", plan, "--data", data, "--labels",
      labels,
    ])
    #expect(simulate.status == 0, "\(simulate.standardError)")
    let run = try EdgeSimProcess.run([
      "run", "--json", "--model", model, "--precision", plan, "--input", data,
      "--labels", labels,
    ])
    #expect(run.status == 0, "\(run.standardError)")
    func object(_ text: String) -> [String: Any]? {
      (try? JSONSerialization.jsonObject(with: Data(text.utf8)))
        as? [String: Any]
    }
    let accuracy =
      object(simulate.standardOutput)?["accuracy"] as? [String: Any]
    let top1 = try #require(accuracy?["top1"] as? Double)
    let runTop1 = try #require(object(run.standardOutput)?["top1"] as? Double)
    #expect(abs(top1 - runTop1) < 1e-9)
    #expect(accuracy?["samples"] as? Int == 540)
    let float = try #require(accuracy?["float_top1"] as? Double)
    #expect(top1 > float - 0.02)  // 8-bit dynamic keeps float accuracy

    // A shape-only model cannot be executed: a clear error, exit 1.
    let shapeOnly = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--model", "lenet5", "--data", data,
    ])
    #expect(shapeOnly.status == 1)
    #expect(shapeOnly.standardError.contains("weight tensors have no data"))
    let orphan = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--model", model, "--labels", labels,
    ])
    #expect(orphan.status == 2)
  }

  /// `density: measured` counts the nonzero values of every activation on
  /// `--data` with the float model: the factors follow the data.
  @Test func measuredDensitiesComeFromTheData() throws {
    let folder = try tempFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let coding = folder.appendingPathComponent("rlc.yaml")
    try """
    activations:
      coding: rlc
      run_bits: 4
      pairs_per_word: 4
      word_bits: 48
      density: measured
    """.write(to: coding, atomically: true, encoding: .utf8)
    let model = "Workloads/digits/digits-plain.onnx"
    let base = [
      "simulate", "--no-trace", "--json", "--hardware", "systolic-32x32",
      "--precision", "int8", "--model", model, "--compression", coding.path,
    ]
    let measured = try EdgeSimProcess.run(
      base + ["--data", "Workloads/digits/test-images.npy"])
    #expect(measured.status == 0, "\(measured.standardError)")
    let object =
      try JSONSerialization.jsonObject(with: Data(measured.standardOutput.utf8))
      as? [String: Any]
    let layers = try #require(object?["layers"] as? [[String: Any]])
    let factors = layers.compactMap {
      ($0["dram_coding"] as? [String: Any])?["outputs"] as? Double
    }
    #expect(factors.count == layers.count)
    // ReLU zeros make some activation cheaper to store than raw.
    #expect(factors.contains { $0 < 0.99 })
    #expect(factors.allSatisfy { $0 > 0 && $0 <= 1 })

    let without = try EdgeSimProcess.run(base)
    #expect(without.status == 1)
    #expect(
      without.standardError.contains(
        "rlc.yaml:6:12: error: 'activations.density: measured' needs samples"))
  }
}
