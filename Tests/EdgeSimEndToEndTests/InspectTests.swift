import Foundation
import TestSupport
import Testing

@Suite struct InspectTests {
  func json(_ arguments: [String]) throws -> (
    EdgeSimProcess.Output, [String: Any]
  ) {
    let result = try EdgeSimProcess.run(arguments)
    let object =
      (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)))
      as? [String: Any]
    return (result, object ?? [:])
  }

  @Test func onnxJSONHasTheDocumentedShape() throws {
    let (result, object) = try json([
      "inspect", "--json", "Workloads/onnx/torchvision/resnet18.onnx",
    ])
    #expect(result.status == 0)
    // Shape-only copy: the weights file is absent, which is a warning.
    #expect(result.standardError.contains("warning:"))
    let layers = object["layers"] as? [[String: Any]] ?? []
    let totals = object["totals"] as? [String: Any] ?? [:]
    #expect(object["model"] != nil)
    #expect(totals["macs"] as? Int == 1_814_073_344)
    #expect(totals["params"] as? Int == 11_684_712)
    let first = try #require(layers.first)
    #expect(first["op"] as? String == "Conv")
    #expect((first["inputs"] as? [[Int]])?.first == [1, 3, 224, 224])
    #expect(first["output"] as? [Int] == [1, 64, 112, 112])
    #expect(first["macs"] as? Int == 118_013_952)
    #expect(first["params"] as? Int == 9_472)
    #expect(
      layers.reduce(0) { $0 + ($1["macs"] as? Int ?? 0) } == 1_814_073_344)
  }

  @Test func yamlWorkloadAndBatch() throws {
    let (one, a) = try json(["inspect", "--json", "Workloads/lenet5.yaml"])
    let (eight, b) = try json([
      "inspect", "--json", "--batch", "8", "Workloads/lenet5.yaml",
    ])
    #expect(one.status == 0 && eight.status == 0)
    let m1 = (a["totals"] as? [String: Any])?["macs"] as? Int ?? 0
    let m8 = (b["totals"] as? [String: Any])?["macs"] as? Int ?? 0
    #expect(m1 > 0)
    #expect(m8 == 8 * m1)
  }

  @Test func tableHasTotals() throws {
    let result = try EdgeSimProcess.run([
      "inspect", "Workloads/digits/digits-plain.onnx",
    ])
    #expect(result.status == 0)
    #expect(result.standardOutput.contains("total"))
    #expect(result.standardOutput.contains("Conv"))
    #expect(result.standardError.isEmpty)
  }

  @Test func badModelsExitOneWithAClearError() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("edgesim-inspect-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let original = try Data(
      contentsOf: EdgeSimProcess.root.appendingPathComponent(
        "Workloads/digits/digits-plain.onnx"))
    let cases: [String: Data] = [
      "truncated.onnx": original.prefix(original.count / 2),
      "random.onnx": Data(
        (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }),
      "empty.onnx": Data(),
      "model.txt": Data("hello".utf8),
    ]
    for (name, data) in cases {
      let path = folder.appendingPathComponent(name)
      try data.write(to: path)
      let result = try EdgeSimProcess.run(["inspect", path.path])
      #expect(result.status == 1, "\(name)")
      #expect(
        result.standardError.contains("error:"),
        "\(name): \(result.standardError)")
    }
    #expect(
      try EdgeSimProcess.run([
        "inspect", "--batch", "0", "Workloads/lenet5.yaml",
      ]).status == 2)
  }
}
