import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// `edgesim simulate` on a QDQ model (issue #16 item 6): its layers cost at
/// their stored int8 widths, and the QuantizeLinear/DequantizeLinear pairs
/// between integer kernels cost nothing of their own, as in onnxruntime,
/// which fuses them into QLinearConv, QGemm and an integer max pool.
@Suite struct AffineSimulateCommandTests {
  static let root = EdgeSimProcess.root.path

  static func layers(_ model: String, on device: String) async throws
    -> (latency: Double, layers: [String: [String: Any]])
  {
    let run = await EdgeSimMain.capture([
      "simulate", "--model", "\(root)/\(model)", "--hardware", device,
      "--no-trace", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any])
    let list = try #require(json["layers"] as? [[String: Any]])
    var byName: [String: [String: Any]] = [:]
    for layer in list {
      if let name = layer["name"] as? String { byName[name] = layer }
    }
    let totals = try #require(json["totals"] as? [String: Any])
    let latency = try #require(totals["latency_s"] as? Double)
    return (latency, byName)
  }

  @Test(arguments: ["pixel3-cpu", "npu-32x32"])
  func qdqPairsAreFusedAndCostAtInt8(device: String) async throws {
    let (latency, layers) = try await Self.layers(
      "Workloads/affine/digits-qdq.onnx", on: device)
    let (plainLatency, _) = try await Self.layers(
      "Workloads/digits/digits-plain.onnx", on: device)
    for conv in ["/conv1/Conv", "/conv2/Conv", "/fc/Gemm"] {
      #expect(layers[conv]?["widths"] as? String == "int8")
    }
    // The requantization is the kernel's epilogue …
    #expect(
      layers["/Relu_output_0_QuantizeLinear"]?["fused_into"] as? String
        == "/conv1/Conv")
    #expect(
      layers["logits_QuantizeLinear"]?["fused_into"] as? String == "/fc/Gemm")
    // … the next kernel reads the stored integers, and a QDQ pair around a
    // Flatten with the same scale is an identity.
    for free in [
      "/Relu_output_0_DequantizeLinear", "/Flatten_output_0_QuantizeLinear",
      "/Flatten_output_0_DequantizeLinear",
    ] {
      #expect(layers[free]?["cycles"] as? Int == 0, "\(free)")
    }
    // What is left beyond the float model is the input's QuantizeLinear.
    let input = try #require(
      layers["input_QuantizeLinear"]?["latency_s"] as? Double)
    #expect(input > 0)
    #expect(abs(latency - (plainLatency + input)) <= 0.05 * plainLatency)
  }
}
