import Foundation
import NumPyFormat
import ONNXImport
import SwiftProtobuf
import TestSupport
import Testing

/// `run --batch-size` splits the batch only for networks that compute
/// each sample on its own.
struct BatchSizeTests {
  /// A one-node ONNX model: Softmax over `axis` of an input `[N, 3]`.
  static func softmaxModel(axis: Int64, in folder: URL) throws -> String {
    var node = Onnx_NodeProto()
    node.name = "batch_softmax"
    node.opType = "Softmax"
    node.input = ["x"]
    node.output = ["y"]
    var attribute = Onnx_AttributeProto()
    attribute.name = "axis"
    attribute.type = .int
    attribute.i = axis
    node.attribute = [attribute]
    func value(_ name: String) -> Onnx_ValueInfoProto {
      var info = Onnx_ValueInfoProto()
      info.name = name
      info.type.tensorType.elemType = 1
      var batch = Onnx_TensorShapeProto.Dimension()
      batch.dimParam = "N"
      var width = Onnx_TensorShapeProto.Dimension()
      width.dimValue = 3
      info.type.tensorType.shape.dim = [batch, width]
      return info
    }
    var graph = Onnx_GraphProto()
    graph.name = "softmax"
    graph.node = [node]
    graph.input = [value("x")]
    graph.output = [value("y")]
    var opset = Onnx_OperatorSetIdProto()
    opset.version = 13
    var model = Onnx_ModelProto()
    model.irVersion = 8
    model.opsetImport = [opset]
    model.graph = graph
    let url = folder.appendingPathComponent("softmax-\(axis).onnx")
    try Data(model.serializedBytes() as [UInt8]).write(to: url)
    return url.path
  }

  @Test func refusedForANetworkThatMixesSamples() throws {
    let folder = try RunSupport.temporaryFolder("batch-size")
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = folder.appendingPathComponent("x.npy")
    try NumPyArray(
      float32: (0..<12).map { Float($0) / 4 }, shape: [4, 3]
    ).npyData().write(to: input)
    let mixing = try Self.softmaxModel(axis: 0, in: folder)
    let refused = try EdgeSimProcess.run([
      "run", "--model", mixing, "--input", input.path, "--batch-size", "2",
    ])
    #expect(refused.status == 1)
    #expect(
      refused.standardError.contains("node 'batch_softmax' (Softmax)"),
      "\(refused.standardError)")
    #expect(refused.standardError.contains("softmax-0.onnx"))
    // A slice as large as the batch splits nothing.
    let whole = try EdgeSimProcess.run([
      "run", "--model", mixing, "--input", input.path, "--batch-size", "4",
    ])
    #expect(whole.status == 0, "\(whole.standardError)")
    // Softmax over each sample's own values may be split.
    let separate = try Self.softmaxModel(axis: 1, in: folder)
    let split = try EdgeSimProcess.run([
      "run", "--model", separate, "--input", input.path, "--batch-size", "2",
    ])
    #expect(split.status == 0, "\(split.standardError)")
  }
}
