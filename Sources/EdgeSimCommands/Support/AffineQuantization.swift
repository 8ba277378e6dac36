import BitAccurateExecution
import Diagnostics
import Evaluation
import Foundation
import NetworkGraph
import ONNXImport

/// `edgesim quantize --method affine`: calibrate min/max ranges over
/// `--data`, write the QDQ model, run it in the affine format and report
/// its accuracy beside the float model's (`Documentation/Quantization.md`,
/// "Affine integers", A5).
enum AffineQuantization {
  /// What the command prints.
  struct Outcome {
    var activations: Int
    var weights: Int
    var samples: Int
    var floatTop1: Double?
    var affineTop1: Double?
    var outputBytes: Int
  }

  static func run(
    model path: String, data: String, labels: String?, out: String,
    options: AffineCalibration.Options, printer: inout DiagnosticPrinter
  ) throws -> Outcome {
    guard path.lowercased().hasSuffix(".onnx") else {
      throw CommandFailure(
        .error(
          "--method affine writes a QDQ ONNX model, so it reads an ONNX model (.onnx)",
          at: SourceLocation(file: path), hint: "name an .onnx file"),
        status: EdgeSimMain.usage
      ).print(with: &printer)
    }
    guard out.lowercased().hasSuffix(".onnx") else {
      throw CommandFailure(
        .error(
          "--method affine writes a QDQ ONNX model; --out must name an .onnx file",
          at: SourceLocation(file: out)),
        status: EdgeSimMain.usage
      ).print(with: &printer)
    }
    let bytes = try printer.read(path)
    var files = ModelLoader.externalDataFiles(beside: path)
    let loaded = WeightModel.read(
      bytes: bytes, fileName: path, externalData: { files.resolve($0) })
    guard let weightModel = loaded.value, weightModel.imported.hasAllWeights,
      !weightModel.usesExternalData
    else {
      throw SimulationInputs.stop(
        loaded.diagnostics
          + (loaded.value == nil
            ? []
            : [
              .error(
                "quantize --method affine needs the model's weights inside the .onnx file",
                at: SourceLocation(file: path))
            ]),
        printer: &printer)
    }
    do throws(CommandFailure) {
      var warnings: [Diagnostic] = []
      let network = weightModel.imported.network
      let samples = try ExecutionInputs.samples(
        data, for: network, option: "--data", warnings: &warnings)
      let labelValues = try labels.map { labels throws(CommandFailure) in
        try ExecutionInputs.labels(
          labels, samples: samples.shape.first ?? 0, classes: nil)
      }
      try OutputPath.check([(out, "--out", .file)])
      printer.print(loaded.diagnostics + warnings)
      let cores = ProcessInfo.processInfo.activeProcessorCount
      let plan: QDQPlan
      let float: RunOutcome
      do throws(ExecutionError) {
        plan = try AffineCalibration.plan(
          network: network, samples: samples, options: options,
          concurrency: cores)
        float = try SlicedRun.float(
          network: network, input: samples, labels: labelValues,
          batchSize: nil, concurrency: cores, clock: ContinuousClock())
      } catch {
        throw CommandFailure(
          .error(error.description, at: SourceLocation(file: path)))
      }
      let written: [UInt8]
      do {
        written = try weightModel.exportingQDQ(plan)
      } catch {
        throw CommandFailure(
          .error("\(error)", at: SourceLocation(file: path)))
      }
      // The written model, read back and run as `edgesim run` would.
      let reread = ONNXImporter.read(
        bytes: written, fileName: out, options: ImportOptions(),
        externalData: { _ in .notFound })
      guard let quantized = reread.value?.network else {
        throw CommandFailure(
          .error(
            "the QDQ model written does not read back: "
              + reread.diagnostics.map(\.message).joined(separator: "; "),
            at: SourceLocation(file: out)))
      }
      let affine: RunOutcome
      do throws(ExecutionError) {
        affine = try SlicedRun.affine(
          network: quantized, input: samples, labels: labelValues,
          batchSize: nil, clock: ContinuousClock())
      } catch {
        throw CommandFailure(
          .error(error.description, at: SourceLocation(file: out)))
      }
      do throws(FileIO.WriteFailure) {
        try FileIO.writeAtomically(Data(written), to: out)
      } catch {
        throw CommandFailure(
          .error(
            "cannot write the model: \(error.reason)",
            at: SourceLocation(file: out)))
      }
      return Outcome(
        activations: plan.activations.count,
        weights: plan.constants.count,
        samples: samples.shape.first ?? 0, floatTop1: float.top1,
        affineTop1: affine.top1, outputBytes: written.count)
    } catch {
      throw error.print(with: &printer)
    }
  }

  /// The table (or JSON) the command prints.
  static func render(
    _ outcome: Outcome, options: AffineCalibration.Options, out: String,
    json: Bool
  ) -> String {
    func percent(_ value: Double?) -> String {
      value.map { String(format: "%.2f%%", $0 * 100) } ?? "—"
    }
    let weights = options.perChannel ? "per-channel" : "per-tensor"
    if json {
      let object: [String: Any] = [
        "method": "affine", "out": out,
        "weights": "int8 symmetric \(weights)",
        "activations": "\(options.activationType) asymmetric min/max",
        "quantized_activations": outcome.activations,
        "quantized_constants": outcome.weights, "samples": outcome.samples,
        "float_top1": outcome.floatTop1.map { $0 as Any } ?? NSNull(),
        "affine_top1": outcome.affineTop1.map { $0 as Any } ?? NSNull(),
      ]
      return JSONOutput.encode(object) + "\n"
    }
    return """
      wrote \(out) (QDQ, \(outcome.outputBytes) bytes): int8 symmetric \(weights) weights, \
      \(options.activationType) asymmetric activations from min/max over \(outcome.samples) samples
        quantized activations  \(outcome.activations)
        quantized constants    \(outcome.weights) (weights and int32 biases)
        top-1 float            \(percent(outcome.floatTop1))
        top-1 affine           \(percent(outcome.affineTop1))

      """
  }
}
