import Foundation
import NumPyFormat
import TestSupport
import Testing

/// `inspect`, `simulate` and `run` on the model families of issue #16,
/// through the `edgesim` binary, with MAC and parameter counts checked
/// against hand-computed formulas (`Documentation/Counting.md`).
@Suite struct ModernOperatorTests {
  struct Inspected {
    var result: EdgeSimProcess.Output
    var layers: [[String: Any]]
    var totals: [String: Any]

    func layer(_ name: String) -> [String: Any] {
      layers.first { $0["name"] as? String == name } ?? [:]
    }

    func macs(_ name: String) -> Int? { layer(name)["macs"] as? Int }
    func params(_ name: String) -> Int? { layer(name)["params"] as? Int }
  }

  static func inspect(_ path: String, _ extra: [String] = []) throws
    -> Inspected
  {
    let result = try EdgeSimProcess.run(["inspect", "--json"] + extra + [path])
    let object =
      (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)))
      as? [String: Any] ?? [:]
    return Inspected(
      result: result, layers: object["layers"] as? [[String: Any]] ?? [],
      totals: object["totals"] as? [String: Any] ?? [:])
  }

  /// `simulate --json` on a bundled device; the layers by name.
  static func simulate(_ path: String, on device: String, in folder: URL)
    throws -> (EdgeSimProcess.Output, [String: [String: Any]])
  {
    let result = try EdgeSimProcess.run([
      "simulate", "--model", path, "--hardware", device, "--json", "--trace",
      folder.appendingPathComponent("trace-\(device)").path,
    ])
    let object =
      (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)))
      as? [String: Any] ?? [:]
    var layers: [String: [String: Any]] = [:]
    for layer in object["layers"] as? [[String: Any]] ?? [] {
      if let name = layer["name"] as? String { layers[name] = layer }
    }
    return (result, layers)
  }

  /// Every bundled device kind: a CPU, a GPU, an MCU, NPUs, a systolic
  /// array, a row-stationary accelerator and FPGAs.
  static let devices = [
    "pixel3-cpu", "pixel3-gpu", "stm32l4r5", "npu-32x32", "coral-edgetpu-usb",
    "systolic-32x32", "eyeriss-v1", "pynq-z1", "zc706-qiu2016",
  ]

  /// Transformer block, S = 8, D = 16, 2 heads of 8, FFN 32: MACs are
  /// S·D·3D (QKV) + 2·heads·S·S·dh (scores, context) + S·D·D (out) +
  /// 2·S·D·F (FFN) = 6144 + 2048 + 2048 + 8192.
  @Test func transformerEncoderBlock() throws {
    let folder = try RunSupport.temporaryFolder("modern-transformer")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try ModernModels.transformer(in: folder)
    let inspected = try Self.inspect(path)
    #expect(inspected.result.status == 0, "\(inspected.result.standardError)")
    #expect(
      inspected.totals["macs"] as? Int == 8 * 16 * 48 + 2 * 2 * 8 * 8 * 8 + 8
        * 16 * 16 + 2 * 8 * 16 * 32)
    // Learned: two LayerNorms (2·16 each), QKV 16·48 + 48, out 16·16, FFN
    // 2·16·32, and the four scalar constants (√dh, √2, 1, 0.5).
    #expect(inspected.totals["params"] as? Int == 64 + 816 + 256 + 1024 + 4)
    #expect(inspected.macs("attention_scores") == 2 * 8 * 8 * 8)
    #expect(inspected.macs("attention_context") == 2 * 8 * 8 * 8)
    #expect(inspected.params("attention_scores") == 0)
    #expect(inspected.macs("qkv0") == 8 * 16 * 48)
    // The Shape → Gather → Unsqueeze → Concat chain folded into constants:
    // no Shape, Gather or Unsqueeze node is left.
    let ops = Set(inspected.layers.compactMap { $0["op"] as? String })
    #expect(!ops.contains("Shape") && !ops.contains("Gather"))
    #expect(ops.contains("LayerNormalization") && ops.contains("Split"))
    // The symbolic batch binds: batch 4 has four times the MACs.
    let four = try Self.inspect(path, ["--batch", "4"])
    #expect(four.totals["macs"] as? Int == 4 * 18_432)

    for device in Self.devices {
      let (result, layers) = try Self.simulate(path, on: device, in: folder)
      #expect(result.status == 0, "\(device): \(result.standardError)")
      // Q·Kᵀ reads no weights: its K is an activation (on chip or not).
      let scores = layers["attention_scores"] ?? [:]
      #expect(scores["macs"] as? Int == 1024, "\(device)")
      let norm = layers["h"] ?? [:]
      #expect((norm["operations"] as? Int ?? 0) > 0, "\(device)")
    }
  }

  /// Conv 16×8×3×3 on 8×8 (73,728), ConvTranspose |X|·(M/g)·k² =
  /// 512·4·4 (8,192); Split, Resize, Concat, Pad and PRelu have no MACs.
  @Test func detectorBlock() throws {
    let folder = try RunSupport.temporaryFolder("modern-unet")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try ModernModels.detector(in: folder)
    let inspected = try Self.inspect(path)
    #expect(inspected.result.status == 0, "\(inspected.result.standardError)")
    #expect(inspected.macs("up") == 8 * 8 * 8 * 4 * 2 * 2)
    #expect(inspected.totals["macs"] as? Int == 73_728 + 8_192)
    #expect(inspected.params("up") == 8 * 4 * 2 * 2)
    #expect(inspected.params("y") == 12)
    #expect(
      (inspected.layer("padded")["output"] as? [Int]) == [1, 12, 18, 18])
    #expect((inspected.layer("r")["output"] as? [Int]) == [1, 8, 16, 16])
    for device in Self.devices {
      let (result, layers) = try Self.simulate(path, on: device, in: folder)
      #expect(result.status == 0, "\(device): \(result.standardError)")
      #expect(layers["up"]?["macs"] as? Int == 8_192, "\(device)")
    }
  }

  /// LSTM: T·dirs·B·4H·(I + H) = 5·1·1·64·26; GRU (bidirectional):
  /// 5·2·1·48·26.
  @Test func recurrentSpotters() throws {
    let folder = try RunSupport.temporaryFolder("modern-rnn")
    defer { try? FileManager.default.removeItem(at: folder) }
    let lstm = try ModernModels.recurrent(
      "LSTM", bidirectional: false, in: folder)
    let gru = try ModernModels.recurrent("GRU", bidirectional: true, in: folder)
    let a = try Self.inspect(lstm)
    let b = try Self.inspect(gru)
    #expect(a.macs("rnn") == 5 * 64 * 26)
    #expect(a.params("rnn") == 640 + 1024 + 128)
    // Per step and direction: 9H gate arithmetic + 8H bias adds (LSTM).
    #expect(a.layer("rnn")["other_ops"] as? Int == 5 * 17 * 16)
    #expect(b.macs("rnn") == 5 * 2 * 48 * 26)
    #expect(b.params("rnn") == 2 * (480 + 768 + 96))
    #expect(b.layer("rnn")["other_ops"] as? Int == 5 * 2 * 14 * 16)
    for device in Self.devices {
      for path in [lstm, gru] {
        let (result, _) = try Self.simulate(path, on: device, in: folder)
        #expect(result.status == 0, "\(device): \(result.standardError)")
      }
    }
  }

  /// QDQ and QLinearConv count like the float Conv: 4·6·6·27 MACs.
  @Test func quantizedConvolutions() throws {
    let folder = try RunSupport.temporaryFolder("modern-quantized")
    defer { try? FileManager.default.removeItem(at: folder) }
    let qdq = try ModernModels.qdq(in: folder)
    let qlinear = try ModernModels.qLinearConv(in: folder)
    let a = try Self.inspect(qdq)
    let b = try Self.inspect(qlinear)
    #expect(a.macs("qdq_conv") == 4 * 6 * 6 * 27)
    // The int8 weight is a parameter (of its DequantizeLinear); scales and
    // zero points are not.
    #expect(a.totals["params"] as? Int == 108)
    // The dequantized weight is not an activation of the Conv.
    #expect(
      a.layer("qdq_conv")["input_activation_elements"] as? Int == 3 * 8 * 8)
    #expect(b.macs("qconv") == 4 * 6 * 6 * 27)
    #expect(b.params("qconv") == 108 + 4)
    for device in Self.devices {
      for path in [qdq, qlinear] {
        let (result, _) = try Self.simulate(path, on: device, in: folder)
        #expect(result.status == 0, "\(device): \(result.standardError)")
      }
    }
    // Costed at their stored 8 bits on a GPU whose native precision is
    // fp16, and the float twin at fp16.
    let (_, qdqLayers) = try Self.simulate(qdq, on: "pixel3-gpu", in: folder)
    #expect(qdqLayers["qdq_conv"]?["widths"] as? String == "int8")
    #expect(qdqLayers["w_d"]?["cycles"] as? Int == 0)
    let (_, qLayers) = try Self.simulate(qlinear, on: "pixel3-gpu", in: folder)
    #expect(qLayers["qconv"]?["widths"] as? String == "int8")
    let float = try ModernModels.detector(in: folder)
    let (_, floatLayers) = try Self.simulate(
      float, on: "pixel3-gpu", in: folder)
    #expect(floatLayers["c"]?["widths"] as? String == "fp16")
  }

  /// `run` executes the detector block's new operators in float (Split,
  /// ConvTranspose, Resize, Pad, PRelu; values against onnxruntime are in
  /// ExtendedOperatorRunTests) and refuses the quantized family, which the
  /// float executor does not run yet, naming the node and operator.
  @Test func runExecutesNewOperatorsAndRefusesQuantizedOnes() throws {
    let folder = try RunSupport.temporaryFolder("modern-run")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try ModernModels.detector(in: folder)
    let input = folder.appendingPathComponent("x.npy")
    try NumPyArray(
      float32: (0..<512).map { Float($0 % 7) / 7 }, shape: [1, 8, 8, 8]
    ).npyData().write(to: input)
    let output = folder.appendingPathComponent("y.npy")
    let result = try EdgeSimProcess.run([
      "run", "--model", path, "--input", input.path, "--output", output.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let y = try RunSupport.array(output)
    #expect(y.shape == [1, 12, 18, 18])
    let qdq = try ModernModels.qdq(in: folder)
    let input3 = folder.appendingPathComponent("x3.npy")
    try NumPyArray(
      float32: (0..<192).map { Float($0 % 5) / 5 }, shape: [1, 3, 8, 8]
    ).npyData().write(to: input3)
    let refused = try EdgeSimProcess.run([
      "run", "--model", qdq, "--input", input3.path,
    ])
    #expect(refused.status == 1)
    #expect(
      refused.standardError.contains("(QuantizeLinear)")
        && refused.standardError.contains(
          "`edgesim run` cannot execute QuantizeLinear yet"),
      "\(refused.standardError)")
  }
}
