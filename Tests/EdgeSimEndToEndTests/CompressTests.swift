import BitAccurateExecution
import Foundation
import NetworkGraph
import ONNXImport
import TestSupport
import Testing

/// `edgesim compress` through the binary, against the independent numpy
/// implementation of COMPRESSION.md (Scripts/compression/reference.py,
/// outputs committed in Tests/Fixtures/compression).
@Suite struct CompressTests {
  static let fixtures = EdgeSimProcess.root.appendingPathComponent(
    "Tests/Fixtures/compression")

  /// The exact fields of §4 that the reference gives.
  static let exactKeys = [
    "name", "op", "weights", "nonzeros", "entries", "fillers", "index_bits",
    "value_bits", "form", "codebook_bits", "gap_huffman_bits",
    "value_huffman_bits", "table_bits", "stored_bits",
  ]

  static func importModel(_ url: URL) throws -> Network {
    let bytes = [UInt8](try Data(contentsOf: url))
    return try #require(
      ONNXImporter.read(
        bytes: bytes, fileName: url.lastPathComponent,
        externalData: { _ in .notFound }
      ).value
    ).network
  }

  static func jsonObject(_ url: URL) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        as? [String: Any])
  }

  @Test(arguments: ["plain", "dwsep"])
  func reportAndWeightsEqualTheReference(_ model: String) throws {
    let folder = try RunSupport.temporaryFolder("compress")
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out")
    let result = try EdgeSimProcess.run([
      "compress", "--model", "Workloads/digits/digits-\(model).onnx",
      "--plan", "Tests/Fixtures/compression/digits-\(model).yaml",
      "--out", out.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.contains("network:"))
    let report = try Self.jsonObject(out.appendingPathComponent("report.json"))
    let reference = try Self.jsonObject(
      Self.fixtures.appendingPathComponent("digits-\(model).reference.json"))
    let layers = try #require(report["layers"] as? [[String: Any]])
    let expected = try #require(reference["layers"] as? [[String: Any]])
    #expect(layers.count == expected.count)
    let network = try Self.importModel(
      out.appendingPathComponent("compressed.onnx"))
    var stored = 0
    for (layer, want) in zip(layers, expected) {
      for key in Self.exactKeys {
        #expect(
          "\(layer[key] ?? "absent")" == "\(want[key] ?? "absent")",
          "\(want["name"] ?? ""): \(key)")
      }
      stored += layer["stored_bits"] as? Int ?? 0
      let name = try #require(want["name"] as? String)
      let node = try #require(network.nodes.first { $0.name == name })
      let weights = try #require(
        network.initializer(named: node.inputs[1])?.floatValues)
      let decoded = try #require(want["decoded"] as? [Double])
      #expect(weights.count == decoded.count)
      let scale = decoded.map(\.magnitude).max() ?? 1
      let worst =
        zip(weights, decoded).map { (Double($0) - $1).magnitude }
        .max() ?? 0
      #expect(worst <= 1e-6 * scale, "\(name): \(worst)")
    }
    let totals = try #require(report["network"] as? [String: Any])
    let biases = network.nodes.compactMap { node -> Int? in
      guard node.inputs.count > 2 else { return nil }
      return network.initializer(named: node.inputs[2])?.shape.elementCount
    }.reduce(0, +)
    #expect(totals["stored_bits"] as? Int == stored + 32 * biases)
    for key in [
      "raw_bits", "ratio", "macs_before", "macs_after", "macs_nonzero",
    ] {
      #expect(totals[key] != nil, "\(key)")
    }
    // The coding file is one simulate reads, with the compressed model.
    let simulate = try EdgeSimProcess.run([
      "simulate", "--hardware", "eyeriss-v1", "--model",
      out.appendingPathComponent("compressed.onnx").path, "--compression",
      out.appendingPathComponent("coding.yaml").path, "--no-trace",
    ])
    #expect(simulate.status == 0, "\(simulate.standardError)")
  }

  /// Without low rank the graph is the original's: running compressed.onnx
  /// in float equals running the original network with the decoded weights.
  @Test func floatRunEqualsTheDecodedWeights() throws {
    let folder = try RunSupport.temporaryFolder("compress-run")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plan = folder.appendingPathComponent("plan.yaml")
    try Data("defaults: {density: 0.4, cluster_bits: 3}\n".utf8).write(to: plan)
    let out = folder.appendingPathComponent("out")
    let result = try EdgeSimProcess.run([
      "compress", "--model", RunSupport.plain, "--plan", plan.path,
      "--out", out.path, "--json",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let compressed = try Self.importModel(
      out.appendingPathComponent("compressed.onnx"))
    var original = try Self.importModel(
      EdgeSimProcess.root.appendingPathComponent(RunSupport.plain))
    #expect(compressed.nodes.map(\.name) == original.nodes.map(\.name))
    for node in compressed.nodes where node.inputs.count > 1 {
      if let tensor = compressed.initializer(named: node.inputs[1]) {
        original.setInitializer(tensor)
      }
    }
    let images = try RunSupport.array(
      EdgeSimProcess.root.appendingPathComponent(RunSupport.images))
    let count = 64
    let per = images.shape.dropFirst().reduce(1, *)
    let input = try FloatTensor(
      shape: [count] + images.shape.dropFirst(),
      values: Array(images.float32Values.prefix(count * per)))
    let a = try FloatExecutor(network: compressed).run(input: input)
    let b = try FloatExecutor(network: original).run(input: input)
    #expect(a.outputs == b.outputs)
  }

  /// `--data --labels`: top-1 and top-5 before and after equal what `run`
  /// measures on the original and the compressed model.
  @Test func accuracyBeforeAndAfterMatchesRun() throws {
    let folder = try RunSupport.temporaryFolder("compress-accuracy")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plan = folder.appendingPathComponent("plan.yaml")
    try Data("defaults: {density: 0.5, cluster_bits: 5}\n".utf8).write(to: plan)
    let out = folder.appendingPathComponent("out")
    let result = try EdgeSimProcess.run([
      "compress", "--model", RunSupport.plain, "--plan", plan.path,
      "--out", out.path, "--data", RunSupport.images, "--labels",
      RunSupport.labels,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.contains("float accuracy on 540 samples"))
    let report = try Self.jsonObject(out.appendingPathComponent("report.json"))
    let accuracy = try #require(report["accuracy"] as? [String: Any])
    #expect(accuracy["samples"] as? Int == 540)
    for (model, key) in [
      (RunSupport.plain, "top1_before"),
      (out.appendingPathComponent("compressed.onnx").path, "top1_after"),
    ] {
      let run = try RunSupport.json([
        "run", "--model", model, "--input", RunSupport.images, "--labels",
        RunSupport.labels, "--json",
      ])
      #expect(run["top1"] as? Double == accuracy[key] as? Double, "\(key)")
    }
    // With a precision file: the bit-exact executor's figures, as run's.
    let p8 = try RunSupport.plan(in: folder)
    let fixed = try EdgeSimProcess.run([
      "compress", "--model", RunSupport.plain, "--plan", plan.path,
      "--out", out.path, "--data", RunSupport.images, "--labels",
      RunSupport.labels, "--precision", p8, "--json",
    ])
    #expect(fixed.status == 0, "\(fixed.standardError)")
    let object = try JSONSerialization.jsonObject(
      with: Data(fixed.standardOutput.utf8))
    let figures = (object as? [String: Any])?["accuracy"] as? [String: Any]
    let point = try #require(figures?["fixed_point"] as? [String: Any])
    let run = try RunSupport.json([
      "run", "--model", out.appendingPathComponent("compressed.onnx").path,
      "--input", RunSupport.images, "--labels", RunSupport.labels,
      "--precision", p8, "--json",
    ])
    #expect(run["top1"] as? Double == point["top1_after"] as? Double)
  }

  /// Bad plans are located errors and nothing is written.
  @Test(arguments: [
    ("layers:\n  /fc/Gemn: {density: 0.5}\n", "plan.yaml:2:3: error:"),
    ("layers:\n  /fc/Gemm: {rank: 11}\n", "plan.yaml:2:20: error: rank 11"),
    ("defaults: {density: 0}\n", "plan.yaml:1:21: error:"),
    ("defaults: {cluster_bits: 9}\n", "plan.yaml:1:26: error:"),
    (
      "layers:\n  /fc/Gemm: {ternary: {}, cluster_bits: 2}\n",
      "plan.yaml:2:23: error:"
    ),
    (
      "layers:\n  /conv2/Conv: {rank: 17}\n",
      "plan.yaml:2:23: error: rank 17"
    ),
  ])
  func badPlansWriteNothing(_ plan: String, _ expected: String) throws {
    let folder = try RunSupport.temporaryFolder("compress-bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(plan.utf8).write(to: folder.appendingPathComponent("plan.yaml"))
    let model = EdgeSimProcess.root.appendingPathComponent(RunSupport.plain)
    let result = try EdgeSimProcess.run(
      [
        "compress", "--model", model.path, "--plan", "plan.yaml", "--out",
        "out",
      ],
      in: folder)
    #expect(result.status != 0)
    #expect(result.standardError.contains(expected), "\(result.standardError)")
    #expect(
      !FileManager.default.fileExists(
        atPath: folder.appendingPathComponent("out").path))
  }
}
