import Foundation
import NumPyFormat
import TestSupport
import Testing

/// Nodes with several outputs in fixed point (issue #16 item 5): Split and
/// TopK move raws exactly, LSTM and GRU are float islands whose every
/// output is re-quantized to its own format; `quantize` calibrates every
/// output and the raw dump holds every output of every node
/// (`Documentation/Quantization.md`, "Readings chosen").
@Suite struct MultiOutputFixedPointTests {
  /// `x [batch, 4, 8]` → MatMul → `h`; Split on the last axis into `a`
  /// (3) and `b` (5); TopK(K = 2) of `b` → `top`, `top_i`; Pad `a` by one
  /// column of 0.5 → `a_p` (4); Gather `a_p` rows 3, 0 → `a_g` [batch, 2,
  /// 4]; `y` = Concat(`top`, `a_g[:, :, :2]` via Slice) on the last axis.
  static func model(in folder: URL) throws -> String {
    typealias M = ModernModels
    let nodes = [
      M.node("MatMul", ["x", "w"], ["h"]),
      M.node(
        "Split", ["h", "sizes"], ["a", "b"], name: "split", [M.int("axis", 2)]),
      M.node(
        "TopK", ["b", "k"], ["top", "top_i"], name: "topk", [M.int("axis", -1)]),
      M.node("Pad", ["a", "pads", "half"], ["a_p"]),
      M.node("Gather", ["a_p", "rows"], ["a_g"], [M.int("axis", 1)]),
      M.node("Slice", ["a_g", "starts", "ends", "axes"], ["a_s"]),
      M.node("Slice", ["top", "starts0", "ends2", "axes1"], ["top_s"]),
      M.node("Concat", ["top_s", "a_s"], ["y"], [M.int("axis", 2)]),
    ]
    let initializers = [
      M.floats("w", [8, 8]), M.ints("sizes", [3, 5]), M.ints("k", [2]),
      M.ints("pads", [0, 0, 0, 0, 0, 1]), M.floats("half", [], value: 0.5),
      M.ints("rows", [3, 0]), M.ints("starts", [0]), M.ints("ends", [2]),
      M.ints("axes", [2]), M.ints("starts0", [0]), M.ints("ends2", [2]),
      M.ints("axes1", [1]),
    ]
    return try M.write(
      "split-topk", opset: 13,
      inputs: [M.info("x", [1, 4, 8], batch: "batch")],
      outputs: [M.info("y", [1, 2, 4], batch: "batch")], nodes: nodes,
      initializers: initializers, to: folder)
  }

  /// Three samples with values in [−2, 2).
  static func input(in folder: URL) throws -> String {
    let url = folder.appendingPathComponent("x.npy")
    try RunSupport.writeFloats(
      (0..<96).map { Float(($0 * 29) % 64) / 16 - 2 }, shape: [3, 4, 8],
      to: url)
    return url.path
  }

  static func raws(_ url: URL) throws -> [Int64] {
    guard case .int64(let raws) = try RunSupport.array(url).values else {
      Issue.record("\(url.lastPathComponent) is not int64")
      return []
    }
    return raws
  }

  static func formats(_ dump: URL) throws -> [String: [String: Any]] {
    try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: dump.appendingPathComponent("formats.json")))
        as? [String: [String: Any]])
  }

  @Test func splitAndTopKMoveRawsExactly() throws {
    let folder = try RunSupport.temporaryFolder("multi-output")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try Self.model(in: folder)
    let input = try Self.input(in: folder)
    let plan = folder.appendingPathComponent("p.yaml").path
    let quantized = try EdgeSimProcess.run([
      "quantize", "--model", model, "--data", input, "--bits", "8",
      "--out", plan,
    ])
    #expect(quantized.status == 0, "\(quantized.standardError)")
    // qiu's plan gives the nodes feeding fixed-point ones a format; Pad and
    // Gather, which feed only islands, stay float there. This plan gives
    // them h's format, so that they too move raws.
    let calibrated = try String(contentsOfFile: plan, encoding: .utf8)
    #expect(calibrated.contains("h:"), "\(calibrated)")
    let moves = folder.appendingPathComponent("moves.yaml")
    try """
    input: {bits: 8, fl: 4}
    default:
      weight: {bits: 8, fl: 8}
      activation: {bits: 8, fl: 7}
    layers:
      a_p: {activation: {bits: 8, fl: 7}}
      a_g: {activation: {bits: 8, fl: 7}}
    """.write(to: moves, atomically: true, encoding: .utf8)
    let dump = folder.appendingPathComponent("raws")
    let report = try RunSupport.json([
      "run", "--model", model, "--input", input, "--precision", moves.path,
      "--dump", dump.path, "--json",
    ])
    let formats = try Self.formats(dump)
    // The input and every output of every node (FIXED_POINT.md §12.7).
    #expect(
      Set(formats.keys)
        == [
          "x", "h", "a", "b", "top", "top_i", "a_p", "a_g", "a_s", "top_s", "y",
        ], "\(formats.keys.sorted())")
    for name in ["a", "b", "top", "a_p", "a_g", "a_s", "top_s"] {
      #expect(formats[name]?["fl"] as? Int == formats["h"]?["fl"] as? Int)
      #expect(formats[name]?["bits"] as? Int == 8)
    }
    #expect(formats["top_i"]?["bits"] as? Int == 32)
    #expect(formats["top_i"]?["fl"] as? Int == 0)
    let h = try Self.raws(dump.appendingPathComponent("h.npy"))
    let a = try Self.raws(dump.appendingPathComponent("a.npy"))
    let b = try Self.raws(dump.appendingPathComponent("b.npy"))
    let top = try Self.raws(dump.appendingPathComponent("top.npy"))
    let topIndices = try Self.raws(dump.appendingPathComponent("top_i.npy"))
    let padded = try Self.raws(dump.appendingPathComponent("a_p.npy"))
    let gathered = try Self.raws(dump.appendingPathComponent("a_g.npy"))
    try #require(h.count == 96 && a.count == 36 && b.count == 60)
    try #require(
      top.count == 24 && topIndices.count == 24 && padded.count == 48
        && gathered.count == 24)
    let fl = try #require(formats["h"]?["fl"] as? Int)
    let half = Int64((0.5 * Double(1 << max(0, fl))).rounded())
    for row in 0..<12 {
      let hRow = Array(h[row * 8..<row * 8 + 8])
      // Split: the raws of h, unchanged.
      #expect(Array(a[row * 3..<row * 3 + 3]) == Array(hRow[0..<3]))
      #expect(Array(b[row * 5..<row * 5 + 5]) == Array(hRow[3..<8]))
      // TopK: the two largest raws of b, ties in index order, and where.
      let part = Array(hRow[3..<8])
      let order = (0..<5).sorted { (p: Int, q: Int) -> Bool in
        if part[p] == part[q] { return p < q }
        return part[p] > part[q]
      }
      #expect(top[row * 2] == part[order[0]])
      #expect(top[row * 2 + 1] == part[order[1]])
      #expect(topIndices[row * 2] == Int64(order[0]))
      #expect(topIndices[row * 2 + 1] == Int64(order[1]))
      // Pad: the raws, then 0.5 on h's grid.
      #expect(Array(padded[row * 4..<row * 4 + 3]) == Array(hRow[0..<3]))
      #expect(padded[row * 4 + 3] == half)
    }
    // Gather: rows 3 and 0 of each sample.
    for sample in 0..<3 {
      let base = sample * 16
      #expect(
        Array(gathered[sample * 8..<sample * 8 + 4])
          == Array(padded[base + 12..<base + 16]))
      #expect(
        Array(gathered[sample * 8 + 4..<sample * 8 + 8])
          == Array(padded[base..<base + 4]))
    }
    // Data movement adds no error: y's end-to-end SQNR is h's (measured
    // 35.9 dB at 8 bits for both).
    let layers = (report["layers"] as? [[String: Any]] ?? [])
    let byName = Dictionary(
      layers.map { ($0["name"] as? String ?? "", $0) },
      uniquingKeysWith: { first, _ in first })
    let hSQNR = byName["h"]?["sqnr_end_to_end_db"] as? Double ?? 0
    let ySQNR = byName["y"]?["sqnr_end_to_end_db"] as? Double ?? 0
    #expect(hSQNR >= 30, "h: \(hSQNR) dB")
    #expect(ySQNR >= 30, "y: \(ySQNR) dB")
  }

  /// The bundled LSTM and GRU spotters (Scripts/workloads/export-modern.py):
  /// `quantize` gives every recurrent output a format, `run` re-quantizes
  /// each output to it and dumps it; the logits agree with float.
  @Test(arguments: ["kws-lstm", "kws-gru"])
  func recurrentSpottersRunInFixedPoint(_ name: String) throws {
    let folder = try RunSupport.temporaryFolder("multi-output-\(name)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = "Workloads/onnx/modern/\(name).onnx"
    let input = "Workloads/onnx/modern/\(name).input.mfcc.npy"
    let plan = folder.appendingPathComponent("p.yaml").path
    let quantized = try EdgeSimProcess.run([
      "quantize", "--model", model, "--data", input, "--bits", "12",
      "--out", plan,
    ])
    #expect(quantized.status == 0, "\(quantized.standardError)")
    let text = try String(contentsOfFile: plan, encoding: .utf8)
    let recurrent = name == "kws-lstm" ? "LSTM" : "GRU"
    let outputs = name == "kws-lstm" ? [0, 1, 2] : [0, 1]
    for index in outputs.dropFirst() {
      #expect(
        text.contains("\"/rnn/\(recurrent)_output_\(index)\": {bits: 12"),
        "\(text)")
    }
    let dump = folder.appendingPathComponent("raws")
    let report = try RunSupport.json([
      "run", "--model", model, "--input", input, "--precision", plan,
      "--dump", dump.path, "--json",
    ])
    let formats = try Self.formats(dump)
    for index in outputs {
      let tensor = "/rnn/\(recurrent)_output_\(index)"
      #expect(formats[tensor]?["bits"] as? Int == 12, "\(tensor)")
      let file = dump.appendingPathComponent(
        "_rnn_\(recurrent)_output_\(index).npy")
      #expect(FileManager.default.fileExists(atPath: file.path), "\(tensor)")
    }
    // Y's last step is Y_h: the same values, re-quantized to the same
    // integers when the two formats agree.
    let y = try Self.raws(
      dump.appendingPathComponent("_rnn_\(recurrent)_output_0.npy"))
    let yh = try Self.raws(
      dump.appendingPathComponent("_rnn_\(recurrent)_output_1.npy"))
    try #require(!yh.isEmpty && y.count >= yh.count)
    if formats["/rnn/\(recurrent)_output_0"]?["fl"] as? Int
      == formats["/rnn/\(recurrent)_output_1"]?["fl"] as? Int
    {
      #expect(Array(y.suffix(yh.count)) == yh)
    }
    let layers = (report["layers"] as? [[String: Any]] ?? [])
    let logits = layers.first { $0["name"] as? String == "/head/Gemm" }
    let sqnr = logits?["sqnr_end_to_end_db"] as? Double ?? 0
    // Measured 62.7 dB (GRU) at 12 bits.
    #expect(sqnr >= 50, "\(name) logits: \(sqnr) dB")
    #expect(report["top1_agreement"] as? Double == 1)
  }

  /// The transformer block's Split (q, k, v) now quantizes and runs.
  @Test func theTransformerSplitRuns() throws {
    let folder = try RunSupport.temporaryFolder("multi-output-split")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try ModernModels.transformer(in: folder)
    let input = folder.appendingPathComponent("x1.npy").path
    try RunSupport.writeFloats(
      (0..<128).map { Float(($0 * 53) % 64) / 16 - 2 }, shape: [1, 8, 16],
      to: URL(fileURLWithPath: input))
    let plan = folder.appendingPathComponent("p.yaml").path
    let quantized = try EdgeSimProcess.run([
      "quantize", "--model", model, "--data", input, "--bits", "16",
      "--out", plan,
    ])
    #expect(quantized.status == 0, "\(quantized.standardError)")
    let dump = folder.appendingPathComponent("raws")
    _ = try RunSupport.json([
      "run", "--model", model, "--input", input, "--precision", plan,
      "--dump", dump.path, "--json",
    ])
    let formats = try Self.formats(dump)
    for name in ["q", "k", "v"] {
      #expect(formats[name]?["fl"] as? Int == formats["qkv"]?["fl"] as? Int)
    }
  }

  /// `outputs:` names a later output's format; an unknown name is a
  /// located error naming the outputs there are.
  @Test func theOutputsKeyNamesLaterOutputs() throws {
    let folder = try RunSupport.temporaryFolder("multi-output-key")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = "Workloads/onnx/modern/kws-lstm.onnx"
    let input = "Workloads/onnx/modern/kws-lstm.input.mfcc.npy"
    let plan = folder.appendingPathComponent("p.yaml")
    try """
    input: {bits: 8, fl: 5}
    default:
      weight: {bits: 8, fl: 7}
      activation: {bits: 8, fl: 6}
    layers:
      /rnn/LSTM:
        outputs:
          /rnn/LSTM_output_2: {bits: 16, fl: 12}
    """.write(to: plan, atomically: true, encoding: .utf8)
    let dump = folder.appendingPathComponent("raws")
    _ = try RunSupport.json([
      "run", "--model", model, "--input", input, "--precision", plan.path,
      "--dump", dump.path, "--json",
    ])
    let formats = try Self.formats(dump)
    #expect(formats["/rnn/LSTM_output_2"]?["bits"] as? Int == 16)
    #expect(formats["/rnn/LSTM_output_2"]?["fl"] as? Int == 12)
    #expect(formats["/rnn/LSTM_output_1"]?["fl"] as? Int == 6)
    try """
    input: {bits: 8, fl: 5}
    default:
      weight: {bits: 8, fl: 7}
      activation: {bits: 8, fl: 6}
    layers:
      /rnn/LSTM:
        outputs:
          Y_c: {bits: 16, fl: 12}
    """.write(to: plan, atomically: true, encoding: .utf8)
    let refused = try EdgeSimProcess.run([
      "run", "--model", model, "--input", input, "--precision", plan.path,
    ])
    #expect(refused.status != 0)
    #expect(
      refused.standardError.contains("p.yaml:8:"), "\(refused.standardError)")
    #expect(
      refused.standardError.contains("no output 'Y_c'")
        && refused.standardError.contains("/rnn/LSTM_output_1"),
      "\(refused.standardError)")
  }
}
