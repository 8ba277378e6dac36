import Foundation
import NumPyFormat
import ONNXImport
import SwiftProtobuf
import TestSupport
import Testing

/// `edgesim run --precision` writes its outputs from the outputs-only run,
/// which applies a Relu or Clip that alone reads a Conv's, Gemm's or aligned
/// Add's output in that node's requantization (issue #19), and its `--dump`
/// from the full run, which runs every node on its own: the output file
/// must hold exactly the dumped output raws.
struct ClampFusionTests {
  /// x → Conv → ReLU6 (Clip, initializer bounds, as torchvision exports it)
  /// → depthwise Conv, stride 2 → Clip(−0.5, 0.75) → 1×1 Conv → Relu → Add
  /// (with the Clip's output) → Clip(−1000, 1000) (bounds that saturate) →
  /// Flatten → Gemm → Clip(no min, max 0.3) → y.
  static func model(in folder: URL) throws -> String {
    func node(
      _ op: String, _ name: String, _ inputs: [String], _ output: String,
      _ attributes: [Onnx_AttributeProto] = []
    ) -> Onnx_NodeProto {
      var node = Onnx_NodeProto()
      node.name = name
      node.opType = op
      node.input = inputs
      node.output = [output]
      node.attribute = attributes
      return node
    }
    func ints(_ name: String, _ values: [Int64]) -> Onnx_AttributeProto {
      var attribute = Onnx_AttributeProto()
      attribute.name = name
      attribute.type = .ints
      attribute.ints = values
      return attribute
    }
    func int(_ name: String, _ value: Int64) -> Onnx_AttributeProto {
      var attribute = Onnx_AttributeProto()
      attribute.name = name
      attribute.type = .int
      attribute.i = value
      return attribute
    }
    // Deterministic weights of both signs and several magnitudes.
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func tensor(_ name: String, _ dims: [Int64], scale: Float = 0.5)
      -> Onnx_TensorProto
    {
      var tensor = Onnx_TensorProto()
      tensor.name = name
      tensor.dataType = 1
      tensor.dims = dims
      tensor.floatData = (0..<dims.reduce(1, *)).map { _ in
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (Float(seed >> 40) / Float(1 << 24) - 0.5) * 2 * scale
      }
      return tensor
    }
    func scalar(_ name: String, _ value: Float) -> Onnx_TensorProto {
      var tensor = Onnx_TensorProto()
      tensor.name = name
      tensor.dataType = 1
      tensor.floatData = [value]
      return tensor
    }
    let same = [ints("pads", [1, 1, 1, 1])]
    var graph = Onnx_GraphProto()
    graph.name = "clamps"
    graph.node = [
      node("Conv", "c1", ["x", "w1", "b1"], "c1o", same),
      node("Clip", "relu6", ["c1o", "zero", "six"], "r1"),
      node(
        "Conv", "dw", ["r1", "w2", "b2"], "c2o",
        same + [int("group", 4), ints("strides", [2, 2])]),
      node("Clip", "clip", ["c2o", "lo", "hi"], "r2"),
      node("Conv", "pw", ["r2", "w3"], "c3o"),
      node("Relu", "relu", ["c3o"], "r3"),
      node("Add", "add", ["r3", "r2"], "s"),
      node("Clip", "wide", ["s", "far_lo", "far_hi"], "a"),
      node("Flatten", "flat", ["a"], "f"),
      node("Gemm", "fc", ["f", "w4", "b4"], "g"),
      node("Clip", "cap", ["g", "", "cap_hi"], "y"),
    ]
    graph.initializer = [
      tensor("w1", [4, 3, 3, 3]), tensor("b1", [4], scale: 0.2),
      tensor("w2", [4, 1, 3, 3], scale: 0.8), tensor("b2", [4], scale: 0.2),
      tensor("w3", [4, 4, 1, 1]), tensor("w4", [64, 6], scale: 0.3),
      tensor("b4", [6], scale: 0.1), scalar("zero", 0), scalar("six", 6),
      scalar("lo", -0.5), scalar("hi", 0.75), scalar("far_lo", -1000),
      scalar("far_hi", 1000), scalar("cap_hi", 0.3),
    ]
    graph.input = [ONNXValues.float32("x", [5, 3, 8, 8])]
    graph.output = [ONNXValues.float32("y", [5, 6])]
    var opset = Onnx_OperatorSetIdProto()
    opset.version = 13
    var model = Onnx_ModelProto()
    model.irVersion = 8
    model.opsetImport = [opset]
    model.graph = graph
    let url = folder.appendingPathComponent("clamps.onnx")
    try Data(model.serializedBytes() as [UInt8]).write(to: url)
    return url.path
  }

  /// The fused outputs are the unfused run's output raws, at every width.
  ///
  /// At 8, 4, 12 and 16 bits (qiu plans on the same input), and every Clip
  /// and Relu acted. The outputs-only run holds the raws of formats up to 16 bits as
  /// Int16 between the convolutions and the Add (issue #19); the dump's run
  /// holds every raw as Int64.
  @Test(arguments: ["8", "4", "12", "16"])
  func fusedOutputsAreTheDumpedRaws(bits: String) throws {
    let folder = try RunSupport.temporaryFolder("clamp-fusion-\(bits)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try Self.model(in: folder)
    let input = folder.appendingPathComponent("x.npy")
    try RunSupport.writeFloats(
      (0..<(5 * 3 * 64)).map { Float(($0 * 37) % 101) / 12 - 4 },
      shape: [5, 3, 8, 8], to: input)
    let plan = folder.appendingPathComponent("p.yaml").path
    let quantized = try EdgeSimProcess.run([
      "quantize", "--model", model, "--data", input.path, "--bits", bits,
      "--out", plan,
    ])
    #expect(quantized.status == 0, "\(quantized.standardError)")
    let output = folder.appendingPathComponent("y.npy")
    let dump = folder.appendingPathComponent("raws")
    let result = try EdgeSimProcess.run([
      "run", "--model", model, "--input", input.path, "--precision", plan,
      "--output", output.path, "--dump", dump.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let formats = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: dump.appendingPathComponent("formats.json")))
        as? [String: [String: Any]])
    func raws(_ name: String) throws -> [Int64] {
      let array = try RunSupport.array(
        dump.appendingPathComponent("\(name).npy"))
      guard case .int64(let values) = array.values else {
        Issue.record("\(name): raws are not int64")
        return []
      }
      return values
    }
    let fl = try #require(formats["y"]?["fl"] as? Int)
    let expected = try raws("y").map { Float(Double($0) * pow(2, -Double(fl))) }
    let fused = try RunSupport.array(output).float32Values
    #expect(fused == expected)
    // The clamps did act in the unfused run (so the fused one had work).
    let r1 = try raws("r1")
    let c1 = try raws("c1o")
    #expect(c1.contains { $0 < 0 } && r1.allSatisfy { $0 >= 0 })
    let r2 = try raws("r2")
    let c2 = try raws("c2o")
    #expect(r2 != c2)
    #expect(try raws("y") != raws("g"))
  }
}
