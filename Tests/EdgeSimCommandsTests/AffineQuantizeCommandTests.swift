import EdgeSimCommands
import Foundation
import NumPyFormat
import TestSupport
import Testing

/// `edgesim quantize --method affine` (issue #16 item 6): the QDQ model it
/// writes is the committed one, byte for byte, and `edgesim run` on it
/// gives onnxruntime 1.32's outputs exactly (made by
/// `Scripts/affine-references.py` with an edgesim binary).
@Suite struct AffineQuantizeCommandTests {
  static let root = EdgeSimProcess.root.path
  static let folder = "\(root)/Workloads/affine"

  @Test(arguments: [
    ("digits-edgesim-per-channel-u8", ["--per-channel"], "per-channel"),
    (
      "digits-edgesim-per-tensor-s8", ["--activation-type", "int8"],
      "per-tensor"
    ),
  ])
  func writesTheModelOnnxruntimeReproduces(
    name: String, flags: [String], weights: String
  ) async throws {
    let temporary = try TemporaryFolder()
    let model = temporary.path("q.onnx")
    let quantize = await EdgeSimMain.capture(
      [
        "quantize", "--model",
        "\(Self.root)/Workloads/digits/digits-plain.onnx",
        "--data", "\(Self.root)/Workloads/digits/test-images.npy", "--labels",
        "\(Self.root)/Workloads/digits/test-labels.npy", "--bits", "8",
        "--method", "affine", "--out", model,
      ] + flags)
    #expect(quantize.status == 0, "\(quantize.standardError)")
    #expect(
      quantize.standardOutput.contains("int8 symmetric \(weights) weights"))
    #expect(quantize.standardOutput.contains("top-1 float            98.15%"))
    #expect(quantize.standardOutput.contains("top-1 affine"))
    let written = try Data(contentsOf: URL(fileURLWithPath: model))
    let committed = try Data(
      contentsOf: URL(fileURLWithPath: "\(Self.folder)/\(name).onnx"))
    #expect(written == committed)

    let output = temporary.path("logits.npy")
    let run = await EdgeSimMain.capture([
      "run", "--model", model, "--input",
      "\(Self.root)/Workloads/digits/test-images.npy", "--output", output,
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let ours = try NumPyArray(
      npy: Data(contentsOf: URL(fileURLWithPath: output)))
    let reference = try NumPyArray(
      npy: Data(
        contentsOf: URL(fileURLWithPath: "\(Self.folder)/\(name)-output.npy")))
    #expect(ours.shape == reference.shape)
    #expect(ours.values == reference.values)
  }

  /// Affine quantization is 8-bit; other widths are a usage error.
  @Test func otherWidthsAreRefused() async {
    let run = await EdgeSimMain.capture([
      "quantize", "--model", "\(Self.root)/Workloads/digits/digits-plain.onnx",
      "--data", "\(Self.root)/Workloads/digits/test-images.npy", "--bits", "4",
      "--method", "affine", "--out", "/tmp/never-written.onnx",
    ])
    #expect(run.status == 2)
    #expect(run.standardError.contains("--bits 8"))
  }
}
