import Foundation
import NumPyFormat
import TestSupport
import Testing

/// Patterns of other exporters that the exporter survey (issue #16,
/// `Scripts/workloads/survey-exporters.py`, Documentation/Validation.md)
/// found refused or miscounted, as tiny graphs with onnxruntime's outputs
/// (`Scripts/workloads/make-exporter-fixtures.py`): each imports, counts,
/// simulates and runs through the `edgesim` command.
@Suite struct ExporterSurveyTests {
  static let folder = "Tests/Fixtures/exporter-survey"

  static func inspect(_ name: String) throws -> (
    EdgeSimProcess.Output, [[String: Any]], [String: Any]
  ) {
    let result = try EdgeSimProcess.run([
      "inspect", "--json", "\(folder)/\(name).onnx",
    ])
    let object =
      (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)))
      as? [String: Any] ?? [:]
    return (
      result, object["layers"] as? [[String: Any]] ?? [],
      object["totals"] as? [String: Any] ?? [:]
    )
  }

  /// `run` matches onnxruntime's output within 1e-4 of its largest
  /// magnitude, and `simulate` succeeds on a phone CPU and an NPU.
  static func runsAndSimulates(_ name: String) throws {
    let temporary = try RunSupport.temporaryFolder("exporter-survey-\(name)")
    defer { try? FileManager.default.removeItem(at: temporary) }
    let output = temporary.appendingPathComponent("out.npy")
    let result = try EdgeSimProcess.run([
      "run", "--model", "\(folder)/\(name).onnx", "--input",
      "\(folder)/\(name).input.x.npy", "--output", output.path,
    ])
    #expect(result.status == 0, "\(name): \(result.standardError)")
    let mine = try RunSupport.array(output)
    let theirs = try RunSupport.array(
      URL(fileURLWithPath: "\(folder)/\(name).output.npy"))
    #expect(mine.shape == theirs.shape, "\(name)")
    let reference = theirs.float32Values
    let largest = reference.map(abs).max() ?? 0
    #expect(largest > 0)
    let worst =
      zip(mine.float32Values, reference).map { abs($0 - $1) }.max()
      ?? .infinity
    #expect(worst <= 1e-4 * largest, "\(name): \(worst) of \(largest)")
    for device in ["pixel3-cpu", "npu-32x32"] {
      let simulated = try EdgeSimProcess.run([
        "simulate", "--model", "\(folder)/\(name).onnx", "--hardware", device,
        "--no-trace",
      ])
      #expect(
        simulated.status == 0,
        "\(name) on \(device): \(simulated.standardError)")
    }
  }

  /// Hugging Face MobileViT sizes its patch grid by float arithmetic and
  /// Ceil on a Shape: the chain folds, and the Reshape gets its target.
  @Test func floatArithmeticOnAShapeFolds() throws {
    let (result, layers, totals) = try Self.inspect("shape-float-ceil")
    #expect(result.status == 0, "\(result.standardError)")
    #expect(layers.compactMap { $0["op"] as? String } == ["Conv", "Reshape"])
    #expect(layers.last?["output"] as? [Int] == [1, 4, 3, 2, 6])
    // Conv 1×1, 3 → 4 channels on 6×6; the 2.0 of the chain is no parameter.
    #expect(totals["macs"] as? Int == 4 * 36 * 3)
    #expect(totals["params"] as? Int == 12)
    try Self.runsAndSimulates("shape-float-ceil")
  }

  /// PyTorch's legacy exporter computes `F.pad`'s pads through a Transpose
  /// of constants (MobileBERT): it folds, and Pad gets its pads.
  @Test func transposeOfConstantsFolds() throws {
    let (result, layers, _) = try Self.inspect("pad-transpose-chain")
    #expect(result.status == 0, "\(result.standardError)")
    #expect(layers.compactMap { $0["op"] as? String } == ["MatMul", "Pad"])
    #expect(layers.last?["output"] as? [Int] == [1, 6, 8])
    try Self.runsAndSimulates("pad-transpose-chain")
  }

  /// A Gather's constant index (`y[:, -1]`) is stored, not learned
  /// (Documentation/Counting.md): the MatMul's 6×4 weight is the only
  /// parameter; the index's 8 bytes still count as weight bytes.
  @Test func aGathersIndexIsNoParameter() throws {
    let (result, layers, totals) = try Self.inspect("gather-last-step")
    #expect(result.status == 0, "\(result.standardError)")
    #expect(totals["params"] as? Int == 24)
    let gather = layers.first { $0["op"] as? String == "Gather" } ?? [:]
    #expect(gather["params"] as? Int == 0)
    #expect(gather["weight_bytes"] as? Int == 8)
    try Self.runsAndSimulates("gather-last-step")
  }

  /// PyTorch's legacy exporter writes an RNN's zero initial state as a
  /// Constant expanded to `[D·L, B, H]`: the Expand folds and the state is
  /// no parameter, so the bundled spotters count exactly PyTorch's
  /// `sum(p.numel() for p in model.parameters())` (their manifest).
  @Test func anExpandedInitialStateIsNoParameter() throws {
    let data = try Data(
      contentsOf: URL(fileURLWithPath: "Workloads/onnx/modern/manifest.json"))
    let manifest =
      try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]]
      ?? [:]
    for name in ["kws-gru", "kws-lstm"] {
      let result = try EdgeSimProcess.run([
        "inspect", "--json", "Workloads/onnx/modern/\(name).onnx",
      ])
      #expect(result.status == 0, "\(name): \(result.standardError)")
      let object =
        (try? JSONSerialization.jsonObject(
          with: Data(result.standardOutput.utf8))) as? [String: Any] ?? [:]
      let layers = object["layers"] as? [[String: Any]] ?? []
      let totals = object["totals"] as? [String: Any] ?? [:]
      #expect(!layers.contains { $0["op"] as? String == "Expand" }, "\(name)")
      let torch = manifest[name]?["torch_parameters"] as? Int
      #expect(torch != nil && totals["params"] as? Int == torch, "\(name)")
    }
  }
}
