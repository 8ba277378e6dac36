import EdgeSimCommands
import Foundation
import NumPyFormat
import TestSupport
import Testing

/// `edgesim run` on pre-quantized ONNX models (QDQ graphs, QLinear and
/// Integer operators) against onnxruntime 1.32's outputs, committed by
/// `Scripts/affine-references.py` (issue #16 item 6): the integers must be
/// equal, every one.
@Suite struct AffineRunCommandTests {
  static let root = EdgeSimProcess.root.path
  static let folder = "\(root)/Workloads/affine"

  static let models = [
    "qdq-conv-u8-per-channel", "qdq-conv-s8-per-tensor",
    "qdq-depthwise-u8-per-channel", "qdq-depthwise-s8-per-channel",
    "qdq-gemm-u8-per-channel", "qdq-matmul-s8-per-tensor", "qdq-add-u8",
    "qdq-add-s8", "qdq-conv-clip-gap-u8", "qdq-conv-clip-gap-s8",
    "qlinear-conv-matmul-u8", "qlinear-conv-matmul-s8",
    "integer-conv-matmul", "mobile-block-qdq-u8-per-channel",
    "mobile-block-qdq-s8-per-tensor",
  ]

  static func read(_ path: String) throws -> NumPyArray {
    try NumPyArray(npy: Data(contentsOf: URL(fileURLWithPath: path)))
  }

  /// Each tiny model's integer output (uint8, int8 or int32, as the graph
  /// declares it; float32 logits, the DequantizeLinear of the last integers,
  /// for the MobileNetV2-style block quantized by onnxruntime) equals
  /// onnxruntime's exactly.
  @Test(arguments: models)
  func integerOutputsEqualOnnxruntime(model: String) async throws {
    let temporary = try TemporaryFolder()
    let output = temporary.path("y.npy")
    let run = await EdgeSimMain.capture([
      "run", "--model", "\(Self.folder)/\(model).onnx", "--input",
      "\(Self.folder)/\(model)-input.npy", "--output", output,
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let ours = try Self.read(output)
    let reference = try Self.read("\(Self.folder)/\(model)-output.npy")
    #expect(ours.kind == reference.kind)
    #expect(ours.shape == reference.shape)
    #expect(ours.values == reference.values)
  }

  /// The digits model quantized by onnxruntime's `quantize_static` (QDQ,
  /// per-channel int8 weights, uint8 activations): every logit equals
  /// onnxruntime's (DequantizeLinear of equal integers), so top-1 does too.
  @Test func digitsQuantizedByOnnxruntimeMatchesIt() async throws {
    let temporary = try TemporaryFolder()
    let output = temporary.path("logits.npy")
    let run = await EdgeSimMain.capture([
      "run", "--model", "\(Self.folder)/digits-qdq.onnx", "--input",
      "\(Self.root)/Workloads/digits/test-images.npy", "--labels",
      "\(Self.root)/Workloads/digits/test-labels.npy", "--output", output,
      "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let ours = try Self.read(output)
    let reference = try Self.read("\(Self.folder)/digits-qdq-output.npy")
    #expect(ours.values == reference.values)
    let labels = try Self.read(
      "\(Self.root)/Workloads/digits/test-labels.npy")
    guard case .float32(let logits) = reference.values,
      case .int64(let classes) = labels.values
    else {
      Issue.record("unexpected reference types")
      return
    }
    var correct = 0
    for (sample, label) in classes.enumerated() {
      let row = logits[(sample * 10)..<(sample * 10 + 10)]
      let best = row.indices.max {
        row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1)
      }
      if best.map({ $0 - sample * 10 }) == Int(label) { correct += 1 }
    }
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any])
    let top1 = try #require(json["top1"] as? Double)
    #expect(abs(top1 - Double(correct) / Double(classes.count)) < 1e-12)
  }

  /// A quantized model with a precision file is refused: it has its own
  /// format.
  @Test func precisionFileIsRefused() async throws {
    let run = await EdgeSimMain.capture([
      "run", "--model", "\(Self.folder)/qdq-add-u8.onnx", "--input",
      "\(Self.folder)/qdq-add-u8-input.npy", "--precision",
      "\(Self.root)/Workloads/digits/README.md",
    ])
    #expect(run.status == 1)
    #expect(run.standardError.contains("already quantized"))
  }

  /// Bad quantization parameters are located errors naming the node.
  @Test(arguments: [
    ("negative-scale", "node 'quantize_x' (QuantizeLinear)", "-0.5"),
    ("infinite-scale", "node 'quantize_x' (QuantizeLinear)", "inf"),
    ("float-zero-point", "node 'quantize_x' (QuantizeLinear)", "float32"),
    ("axis-out-of-range", "node 'dequantize_w' (DequantizeLinear)", "axis 4"),
    ("missing-scale", "node 'quantize_x' (QuantizeLinear)", "scale"),
  ])
  func badParametersNameTheNode(
    model: String, node: String, detail: String
  ) async throws {
    let fixtures = "\(Self.root)/Tests/Fixtures/affine"
    let run = await EdgeSimMain.capture([
      "run", "--model", "\(fixtures)/\(model).onnx", "--input",
      "\(fixtures)/input.npy",
    ])
    #expect(run.status == 1)
    #expect(run.standardError.contains("\(model).onnx"))
    #expect(run.standardError.contains(node))
    #expect(run.standardError.contains(detail))
  }
}
