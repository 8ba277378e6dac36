import Foundation
import NumPyFormat
import ONNXImport
import SwiftProtobuf
import TestSupport
import Testing

/// The raw dump holds every node's output (FIXED_POINT.md §11), also the
/// outputs of Identity and Dropout nodes, which the importer removes.
struct IdentityDumpTests {
  /// x → Identity → a → Relu → b → Dropout → c → Relu → r → Identity → y.
  static func model(in folder: URL) throws -> String {
    func node(_ op: String, _ input: String, _ output: String) -> Onnx_NodeProto
    {
      var node = Onnx_NodeProto()
      node.name = "\(op.lowercased())_\(output)"
      node.opType = op
      node.input = [input]
      node.output = [output]
      return node
    }
    func value(_ name: String) -> Onnx_ValueInfoProto {
      var info = Onnx_ValueInfoProto()
      info.name = name
      info.type.tensorType.elemType = 1
      var batch = Onnx_TensorShapeProto.Dimension()
      batch.dimParam = "N"
      var width = Onnx_TensorShapeProto.Dimension()
      width.dimValue = 4
      info.type.tensorType.shape.dim = [batch, width]
      return info
    }
    var graph = Onnx_GraphProto()
    graph.name = "identities"
    graph.node = [
      node("Identity", "x", "a"), node("Relu", "a", "b"),
      node("Dropout", "b", "c"), node("Relu", "c", "r"),
      node("Identity", "r", "y"),
    ]
    graph.input = [value("x")]
    graph.output = [value("y")]
    var opset = Onnx_OperatorSetIdProto()
    opset.version = 13
    var model = Onnx_ModelProto()
    model.irVersion = 8
    model.opsetImport = [opset]
    model.graph = graph
    let url = folder.appendingPathComponent("identities.onnx")
    try Data(model.serializedBytes() as [UInt8]).write(to: url)
    return url.path
  }

  @Test func removedIdentitiesAreDumpedAsCopies() throws {
    let folder = try RunSupport.temporaryFolder("identity-dump")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try Self.model(in: folder)
    let input = folder.appendingPathComponent("x.npy")
    try NumPyArray(
      float32: (0..<12).map { Float($0) / 4 - 1.5 }, shape: [3, 4]
    ).npyData().write(to: input)
    let plan = folder.appendingPathComponent("p.yaml").path
    let quantized = try EdgeSimProcess.run([
      "quantize", "--model", model, "--data", input.path, "--bits", "8",
      "--out", plan,
    ])
    #expect(quantized.status == 0, "\(quantized.standardError)")
    let dump = folder.appendingPathComponent("raws")
    let result = try EdgeSimProcess.run([
      "run", "--model", model, "--input", input.path, "--precision", plan,
      "--dump", dump.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let formats = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: dump.appendingPathComponent("formats.json")))
        as? [String: [String: Any]])
    #expect(Set(formats.keys) == ["x", "a", "b", "c", "r", "y"])
    // Each removed tensor is its source: same integers, same format.
    for (removed, source) in [("a", "x"), ("c", "b"), ("r", "y")] {
      let copy = try Data(
        contentsOf: dump.appendingPathComponent("\(removed).npy"))
      let original = try Data(
        contentsOf: dump.appendingPathComponent("\(source).npy"))
      #expect(copy == original, "\(removed) differs from \(source)")
      #expect(
        formats[removed]?["fl"] as? Int == formats[source]?["fl"] as? Int)
    }
    // The Relus did act: b has no negative raw, x has.
    let x = try RunSupport.array(dump.appendingPathComponent("x.npy"))
    let b = try RunSupport.array(dump.appendingPathComponent("b.npy"))
    guard case .int64(let xs) = x.values, case .int64(let bs) = b.values else {
      Issue.record("raws are not int64")
      return
    }
    #expect(xs.contains { $0 < 0 })
    #expect(bs.allSatisfy { $0 >= 0 })
  }
}
