import Foundation
import NumPyFormat
import ONNXImport
import SwiftProtobuf
import TestSupport
import Testing

/// A model whose tensor cannot be held even for one sample is refused
/// before the executors allocate it, not killed for want of memory.
struct ExecutionMemoryTests {
  /// A 1×1 convolution of a 1×1 image padded by `pad` on every side.
  static func paddedConvolution(pad: Int64, in folder: URL) throws -> String {
    var node = Onnx_NodeProto()
    node.name = "padded_conv"
    node.opType = "Conv"
    node.input = ["x", "w"]
    node.output = ["y"]
    var pads = Onnx_AttributeProto()
    pads.name = "pads"
    pads.type = .ints
    pads.ints = [pad, pad, pad, pad]
    node.attribute = [pads]
    var weight = Onnx_TensorProto()
    weight.name = "w"
    weight.dataType = 1
    weight.dims = [1, 1, 1, 1]
    weight.floatData = [0.5]
    let value = ONNXValues.float32
    var graph = Onnx_GraphProto()
    graph.name = "padded"
    graph.node = [node]
    graph.initializer = [weight]
    graph.input = [value("x", [1, 1, 1, 1])]
    let side = 2 * pad + 1
    graph.output = [value("y", [1, 1, side, side])]
    var opset = Onnx_OperatorSetIdProto()
    opset.version = 13
    var model = Onnx_ModelProto()
    model.irVersion = 8
    model.opsetImport = [opset]
    model.graph = graph
    let url = folder.appendingPathComponent("padded-\(pad).onnx")
    try Data(model.serializedBytes() as [UInt8]).write(to: url)
    return url.path
  }

  @Test func aTensorLargerThanTheMachineIsRefused() throws {
    let folder = try RunSupport.temporaryFolder("execution-memory")
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = folder.appendingPathComponent("x.npy")
    try NumPyArray(float32: [1], shape: [1, 1, 1, 1]).npyData().write(
      to: input)
    let hostile = try Self.paddedConvolution(pad: 100_000, in: folder)
    let refused = try EdgeSimProcess.run(
      ["run", "--model", hostile, "--input", input.path], timeout: 60)
    #expect(!refused.timedOut)
    #expect(refused.status == 1, "\(refused.standardError)")
    #expect(
      refused.standardError.contains("node 'padded_conv', Conv"),
      "\(refused.standardError)")
    #expect(refused.standardError.contains("of memory"))
    // The same model with a small padding runs.
    let small = try Self.paddedConvolution(pad: 2, in: folder)
    let ran = try EdgeSimProcess.run(
      ["run", "--model", small, "--input", input.path], timeout: 60)
    #expect(ran.status == 0, "\(ran.standardError)")
  }
}
