import BitAccurateExecution
import Diagnostics
import Evaluation
import Foundation
import NetworkGraph

/// `compress --data X --labels L [--precision P]`: top-1 and top-5 of the
/// model before and after compression, run by the float32 reference
/// executor on every sample and, with a precision file, by the bit-exact
/// fixed-point executor too (compression and quantization together).
enum CompressionAccuracy {
  /// The figures, as `report.json`'s `accuracy` object.
  struct Figures: Codable, Equatable {
    var samples: Int
    var top1Before: Double?
    var top1After: Double?
    var top5Before: Double?
    var top5After: Double?
    /// The same through the fixed-point executor, with `--precision`.
    var fixedPoint: FixedPoint?

    enum CodingKeys: String, CodingKey {
      case samples
      case top1Before = "top1_before"
      case top1After = "top1_after"
      case top5Before = "top5_before"
      case top5After = "top5_after"
      case fixedPoint = "fixed_point"
    }
  }

  /// Bit-exact accuracy with a precision file.
  struct FixedPoint: Codable, Equatable {
    var precision: String
    var top1Before: Double?
    var top1After: Double?
    var top5Before: Double?
    var top5After: Double?

    enum CodingKeys: String, CodingKey {
      case precision
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
    precision: String?, warnings: inout [Diagnostic]
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
    // Each network resolves the file itself: a low-rank layer's two nodes
    // are named NODE_a and NODE_b in the compressed one.
    let resolved = try precision.map { path throws(CommandFailure) in
      let a = try PrecisionFile.resolve(path, for: original)
      let b = try PrecisionFile.resolve(path, for: compressed)
      warnings += a.warnings
      return (a.precision, b.precision)
    }
    do throws(ExecutionError) {
      let before = try MeasuredAccuracy.measure(
        EvaluationData(
          network: original, samples: samples, labels: labelValues),
        arithmetic: .float, concurrency: concurrency)
      let after = try MeasuredAccuracy.measure(
        EvaluationData(
          network: compressed, samples: samples, labels: labelValues),
        arithmetic: .float, concurrency: concurrency)
      var figures = Figures(
        samples: before.samples, top1Before: before.top1,
        top1After: after.top1, top5Before: before.top5, top5After: after.top5)
      if let precision, let (a, b) = resolved {
        let fixedBefore = try MeasuredAccuracy.measure(
          EvaluationData(
            network: original, samples: samples, labels: labelValues),
          arithmetic: .plan(a), concurrency: concurrency)
        let fixedAfter = try MeasuredAccuracy.measure(
          EvaluationData(
            network: compressed, samples: samples, labels: labelValues),
          arithmetic: .plan(b), concurrency: concurrency)
        figures.fixedPoint = FixedPoint(
          precision: precision, top1Before: fixedBefore.top1,
          top1After: fixedAfter.top1, top5Before: fixedBefore.top5,
          top5After: fixedAfter.top5)
      }
      return figures
    } catch {
      throw CommandFailure(
        .error(error.description, at: SourceLocation(file: model)))
    }
  }
}
