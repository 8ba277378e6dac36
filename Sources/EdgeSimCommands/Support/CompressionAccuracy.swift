import BitAccurateExecution
import Diagnostics
import Evaluation
import Foundation
import NetworkGraph

/// `compress --data X --labels L`: top-1 and top-5 of the model before and
/// after compression, both run by the float32 reference executor on every
/// sample (issue 17, item 2, in float only: `--precision` is not taken yet).
enum CompressionAccuracy {
  /// The figures, as `report.json`'s `accuracy` object.
  struct Figures: Codable, Equatable {
    var samples: Int
    var top1Before: Double?
    var top1After: Double?
    var top5Before: Double?
    var top5After: Double?

    enum CodingKeys: String, CodingKey {
      case samples
      case top1Before = "top1_before"
      case top1After = "top1_after"
      case top5Before = "top5_before"
      case top5After = "top5_after"
    }
  }

  /// Runs the original model (`model`) and the compressed one (`bytes`) on
  /// `data`, scored against `labels` when given.
  static func measure(
    model: String, compressed bytes: [UInt8], data: String, labels: String?,
    warnings: inout [Diagnostic]
  ) throws(CommandFailure) -> Figures {
    let (original, classes) = try ExecutionInputs.model(
      model, warnings: &warnings)
    let name = "compressed.onnx"
    let (loaded, diagnostics, _) = ModelLoader.load(
      fileName: name, bytes: bytes, batch: nil)
    guard let loaded else { throw CommandFailure(diagnostics) }
    var ignored: [Diagnostic] = []
    let (compressed, _) = try ExecutionInputs.executable(
      loaded, diagnostics: diagnostics, path: name, sources: [:],
      warnings: &ignored)
    let samples = try ExecutionInputs.samples(
      data, for: original, option: "--data", warnings: &warnings)
    let labelValues = try labels.map { path throws(CommandFailure) in
      try ExecutionInputs.labels(
        path, samples: samples.shape.first ?? 0, classes: classes)
    }
    let concurrency = ProcessInfo.processInfo.activeProcessorCount
    do throws(ExecutionError) {
      let before = try MeasuredAccuracy.measure(
        EvaluationData(
          network: original, samples: samples, labels: labelValues),
        arithmetic: .float, concurrency: concurrency)
      let after = try MeasuredAccuracy.measure(
        EvaluationData(
          network: compressed, samples: samples, labels: labelValues),
        arithmetic: .float, concurrency: concurrency)
      return Figures(
        samples: before.samples, top1Before: before.top1,
        top1After: after.top1, top5Before: before.top5, top5After: after.top5)
    } catch {
      throw CommandFailure(
        .error(error.description, at: SourceLocation(file: model)))
    }
  }
}
