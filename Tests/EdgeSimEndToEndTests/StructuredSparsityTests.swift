import Foundation
import ONNXImport
import SwiftProtobuf
import TestSupport
import Testing

/// N:M structured sparsity through `edgesim simulate` (issue #17 item 3):
/// a device with `zeros: {weights: {structured: 2:4}}` runs half of the
/// MACs of a layer whose weights keep at most 2 of every 4 along the input
/// channels, and a layer that does not conform dense.
@Suite struct StructuredSparsityTests {
  /// Two MatMul layers of constant weights `[64, 64]` (K along axis 0):
  /// `conforming` keeps 2 of every 4 consecutive rows' entries in each
  /// column, `dense` keeps every weight; `conv` is a 3×3 Conv whose 8
  /// input channels hold 2:4 weights.
  static func model(in folder: URL) throws -> String {
    func tensor(_ name: String, _ dims: [Int64], _ values: [Float])
      -> Onnx_TensorProto
    {
      var t = Onnx_TensorProto()
      t.name = name
      t.dims = dims
      t.dataType = 1
      t.floatData = values
      return t
    }
    // Seeded values; zero the entries a 2:4 pattern drops.
    var state: UInt64 = 17
    func next() -> Float {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Float(Int(state >> 40) % 1000 + 1) / 1000
    }
    var sparse = [Float]()
    for k in 0..<64 {
      for n in 0..<64 { sparse.append((k + n) % 4 < 2 ? next() : 0) }
    }
    let dense = (0..<(64 * 64)).map { _ in next() }
    var conv = [Float]()
    for _ in 0..<16 {
      for c in 0..<8 {
        for r in 0..<9 { conv.append((c + r) % 4 < 2 ? next() : 0) }
      }
    }
    func node(
      _ name: String, _ op: String, _ inputs: [String], _ output: String
    )
      -> Onnx_NodeProto
    {
      var n = Onnx_NodeProto()
      n.name = name
      n.opType = op
      n.input = inputs
      n.output = [output]
      return n
    }
    var graph = Onnx_GraphProto()
    graph.name = "nm"
    graph.node = [
      node("conv", "Conv", ["x", "wc"], "c"),
      node("flatten", "Flatten", ["c"], "f"),
      node("squeeze", "MatMul", ["f", "wq"], "q"),
      node("conforming", "MatMul", ["q", "ws"], "s"),
      node("dense", "MatMul", ["s", "wd"], "y"),
    ]
    graph.input = [ONNXValues.float32("x", [1, 8, 4, 4])]
    graph.output = [ONNXValues.float32("y", [1, 64])]
    graph.initializer = [
      tensor("wc", [16, 8, 3, 3], conv),
      tensor("wq", [64, 64], dense),
      tensor("ws", [64, 64], sparse), tensor("wd", [64, 64], dense),
    ]
    var opset = Onnx_OperatorSetIdProto()
    opset.version = 13
    var model = Onnx_ModelProto()
    model.irVersion = 8
    model.opsetImport = [opset]
    model.graph = graph
    let url = folder.appendingPathComponent("nm.onnx")
    try Data(model.serializedBytes() as [UInt8]).write(to: url)
    return url.path
  }

  struct Summary: Decodable {
    let layers: [Layer]
    struct Layer: Decodable {
      let name: String
      let cycles: Int
      let energy: Energy
    }
    struct Energy: Decodable { let mac: Double }
  }

  static func simulate(_ model: String, _ device: String) throws -> [String:
    Summary.Layer]
  {
    let run = try EdgeSimProcess.run([
      "simulate", "--hardware", device, "--model", model, "--no-trace",
      "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let summary = try JSONDecoder().decode(
      Summary.self, from: Data(run.standardOutput.utf8))
    return Dictionary(
      uniqueKeysWithValues: summary.layers.map { ($0.name, $0) })
  }

  @Test func conformingLayersRunNOfM() throws {
    let folder = try RunSupport.temporaryFolder("nm")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try Self.model(in: folder)
    let root = EdgeSimProcess.root.path
    let text = try String(
      contentsOfFile: "\(root)/Hardware/systolic-32x32.yaml", encoding: .utf8)
    #expect(text.contains("  dataflow: os\n"))
    func device(_ zeros: String) throws -> String {
      let url = folder.appendingPathComponent("d-\(UUID().uuidString).yaml")
      try text.replacingOccurrences(
        of: "  dataflow: os\n", with: "  dataflow: os\n  zeros: \(zeros)\n"
      ).write(to: url, atomically: true, encoding: .utf8)
      return url.path
    }
    let dense = try Self.simulate(model, device("{weights: none}"))
    let nm = try Self.simulate(model, device("{weights: {structured: 2:4}}"))
    let strict = try Self.simulate(
      model, device("{weights: {structured: 1:4}}"))
    for name in ["conv", "conforming"] {
      let (d, s) = (try #require(dense[name]), try #require(nm[name]))
      #expect(
        abs(s.energy.mac - d.energy.mac / 2) <= 1e-9 * d.energy.mac, "\(name)")
      #expect(s.cycles < d.cycles, "\(name)")
      // 2:4 weights do not satisfy 1:4: dense.
      #expect(strict[name]?.energy.mac == d.energy.mac, "\(name)")
    }
    for name in ["squeeze", "dense"] {
      #expect(nm[name]?.energy.mac == dense[name]?.energy.mac, "\(name)")
      #expect(nm[name]?.cycles == dense[name]?.cycles, "\(name)")
    }
    // A malformed pattern is a located error.
    let bad = try EdgeSimProcess.run([
      "simulate", "--hardware", device("{weights: {structured: 4:2}}"),
      "--model", model, "--no-trace",
    ])
    #expect(bad.status != 0)
    #expect(
      bad.standardError.contains("not N:M with 1 ≤ N < M ≤ 64"),
      "\(bad.standardError)")
  }
}
