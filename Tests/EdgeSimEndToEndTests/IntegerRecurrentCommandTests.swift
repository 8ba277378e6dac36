import Foundation
import TestSupport
import Testing

/// Integer-only LSTM and GRU (issue #16 item 5, Quantization.md I11 and
/// I12) through the front door: `quantize --nonlinear integer`, then `run
/// --precision` on the bundled spotters; the recurrent node is reported
/// `(integer)` and the logits stay close to float.
@Suite struct IntegerRecurrentCommandTests {
  @Test(arguments: ["kws-lstm", "kws-gru"])
  func spottersRunIntegerOnly(_ name: String) throws {
    let folder = try RunSupport.temporaryFolder("integer-\(name)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = "Workloads/onnx/modern/\(name).onnx"
    let input = "Workloads/onnx/modern/\(name).input.mfcc.npy"
    let plan = folder.appendingPathComponent("p.yaml").path
    let quantized = try EdgeSimProcess.run([
      "quantize", "--model", model, "--data", input, "--bits", "12",
      "--nonlinear", "integer", "--out", plan,
    ])
    #expect(quantized.status == 0, "\(quantized.standardError)")
    let recurrent = name == "kws-lstm" ? "LSTM" : "GRU"
    let dump = folder.appendingPathComponent("raws")
    let report = try RunSupport.json([
      "run", "--model", model, "--input", input, "--precision", plan,
      "--dump", dump.path, "--json",
    ])
    let layers = report["layers"] as? [[String: Any]] ?? []
    let node = layers.first { $0["name"] as? String == "/rnn/\(recurrent)" }
    #expect(node?["nonlinear"] as? String == "integer", "\(layers)")
    #expect(node?["float_island"] as? Bool == false)
    let text = try EdgeSimProcess.run([
      "run", "--model", model, "--input", input, "--precision", plan,
    ])
    #expect(text.standardOutput.contains("(integer)"), "\(text.standardOutput)")
    // Y's last step and Y_h come from the same product (I11 step 6), so
    // they are the same integers when their formats agree.
    let formats = try MultiOutputFixedPointTests.formats(dump)
    let y = try MultiOutputFixedPointTests.raws(
      dump.appendingPathComponent("_rnn_\(recurrent)_output_0.npy"))
    let yh = try MultiOutputFixedPointTests.raws(
      dump.appendingPathComponent("_rnn_\(recurrent)_output_1.npy"))
    try #require(!yh.isEmpty && y.count >= yh.count)
    if formats["/rnn/\(recurrent)_output_0"]?["fl"] as? Int
      == formats["/rnn/\(recurrent)_output_1"]?["fl"] as? Int
    {
      #expect(Array(y.suffix(yh.count)) == yh)
    }
    // Measured at 12 bits (Quantization.md I11/I12 "Error"): the recurrent
    // output 42.8 dB (LSTM) and 47.5 dB (GRU) against the float executor's
    // kernel, the logits 49.1 and 48.6 dB.
    let output = node?["sqnr_end_to_end_db"] as? Double ?? 0
    #expect(output >= 40, "\(name) recurrent output: \(output) dB")
    let logits = layers.first { $0["name"] as? String == "/head/Gemm" }
    let sqnr = logits?["sqnr_end_to_end_db"] as? Double ?? 0
    #expect(sqnr >= 45, "\(name) logits: \(sqnr) dB")
    #expect(report["top1_agreement"] as? Double == 1)
  }

  /// A bidirectional LSTM and GRU (`linear_before_reset` 0) from
  /// ``ModernModels/recurrent(_:bidirectional:in:)``: both directions run
  /// integer-only, `Y` follows the float kernel, and `Y_h` is `Y`'s last
  /// step of each direction (the forward one at t = 4, the reverse one at
  /// t = 0), the same integers in the same format.
  @Test(arguments: ["LSTM", "GRU"])
  func bidirectionalRunsIntegerOnly(_ kind: String) throws {
    let folder = try RunSupport.temporaryFolder("integer-bi-\(kind)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try ModernModels.recurrent(
      kind, bidirectional: true, in: folder)
    let input = folder.appendingPathComponent("x.npy")
    try RunSupport.writeFloats(
      (0..<50).map { Float(($0 * 29) % 64) / 16 - 2 }, shape: [5, 1, 10],
      to: input)
    let plan = folder.appendingPathComponent("p.yaml")
    try """
    input: {bits: 16, fl: 12}
    default:
      weight: {bits: 16, fl: 14}
      activation: {bits: 16, fl: 14}
      nonlinear: integer
    """.write(to: plan, atomically: true, encoding: .utf8)
    let dump = folder.appendingPathComponent("raws")
    let report = try RunSupport.json([
      "run", "--model", model, "--input", input.path, "--precision", plan.path,
      "--dump", dump.path, "--json",
    ])
    let layers = report["layers"] as? [[String: Any]] ?? []
    let node = layers.first { $0["name"] as? String == "rnn" }
    #expect(node?["nonlinear"] as? String == "integer", "\(layers)")
    let sqnr = node?["sqnr_end_to_end_db"] as? Double ?? 0
    // Measured 40.3 dB (LSTM) and 47.8 dB (GRU): the I4/I5 error (≈ 2e-3)
    // on hidden values of a few tenths; a direction or layout mix-up
    // gives ≈ 0 dB.
    #expect(sqnr >= 35, "\(kind) Y: \(sqnr) dB")
    let y = try MultiOutputFixedPointTests.raws(
      dump.appendingPathComponent("y_all.npy"))
    let yh = try MultiOutputFixedPointTests.raws(
      dump.appendingPathComponent("y_h.npy"))
    // Y [5, 2, 1, 16], Y_h [2, 1, 16].
    try #require(y.count == 160 && yh.count == 32)
    #expect(Array(y[(4 * 2 + 0) * 16..<(4 * 2 + 1) * 16]) == Array(yh[0..<16]))
    #expect(Array(y[(0 * 2 + 1) * 16..<(0 * 2 + 2) * 16]) == Array(yh[16..<32]))
  }

  /// An LSTM with peepholes `P` is outside I11: under `nonlinear: integer`
  /// it stays a float island, reported `(float)`.
  @Test func peepholesStayAFloatIsland() throws {
    let folder = try RunSupport.temporaryFolder("integer-peephole")
    defer { try? FileManager.default.removeItem(at: folder) }
    typealias M = ModernModels
    let model = try M.write(
      "lstm-peephole", opset: 14, inputs: [M.info("x", [5, 1, 10])],
      outputs: [M.info("y_h", [1, 1, 16])],
      nodes: [
        M.node(
          "LSTM", ["x", "w", "r", "b", "", "", "", "p"], ["y_all", "y_h"],
          name: "rnn", [M.int("hidden_size", 16)])
      ],
      initializers: [
        M.floats("w", [1, 64, 10]), M.floats("r", [1, 64, 16]),
        M.floats("b", [1, 128]), M.floats("p", [1, 48]),
      ], to: folder)
    let input = folder.appendingPathComponent("x.npy")
    try RunSupport.writeFloats(
      (0..<50).map { Float(($0 * 29) % 64) / 16 - 2 }, shape: [5, 1, 10],
      to: input)
    let plan = folder.appendingPathComponent("p.yaml")
    try """
    input: {bits: 16, fl: 12}
    default:
      weight: {bits: 16, fl: 14}
      activation: {bits: 16, fl: 14}
      nonlinear: integer
    """.write(to: plan, atomically: true, encoding: .utf8)
    let report = try RunSupport.json([
      "run", "--model", model, "--input", input.path, "--precision", plan.path,
      "--json",
    ])
    let layers = report["layers"] as? [[String: Any]] ?? []
    let node = layers.first { $0["name"] as? String == "rnn" }
    #expect(node?["float_island"] as? Bool == true, "\(layers)")
    #expect(node?["nonlinear"] == nil)
  }
}
