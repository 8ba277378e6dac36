import Diagnostics
import Foundation
import ONNXImport
import SpecFormats
import WeightCompression

/// What `edgesim compress` reads: the model's layers and the plan, checked
/// against each other (unknown layers, ranks above a layer's size) before
/// anything is computed or written.
struct CompressionInputs {
  var model: WeightModel
  var plan: CompressionPlan

  /// Reads and checks `--model` and `--plan`; prints warnings.
  static func load(
    model path: String, plan planPath: String,
    printer: inout DiagnosticPrinter
  ) throws -> CompressionInputs {
    guard path.lowercased().hasSuffix(".onnx") else {
      throw CommandFailure(
        .error(
          "edgesim compress reads ONNX models (.onnx) with their weights",
          at: SourceLocation(file: path), hint: "name an .onnx file"),
        status: EdgeSimMain.usage
      ).print(with: &printer)
    }
    let bytes = try printer.read(path)
    var files = ModelLoader.externalDataFiles(beside: path)
    let loaded = WeightModel.read(
      bytes: bytes, fileName: path, externalData: { files.resolve($0) })
    guard let model = loaded.value, model.imported.hasAllWeights else {
      let missing =
        loaded.value == nil
        ? []
        : [
          Diagnostic.error(
            "the model's weights are missing; compress needs them",
            at: SourceLocation(file: path))
        ]
      throw SimulationInputs.stop(
        loaded.diagnostics + missing, printer: &printer)
    }
    if model.usesExternalData {
      throw SimulationInputs.stop(
        [
          .error(
            "the model keeps tensors in external data files, which compress does not handle yet",
            at: SourceLocation(file: path),
            hint: "save the model with its tensors inside the .onnx file")
        ], printer: &printer)
    }
    let planBytes = try printer.read(planPath)
    let read = CompressionPlanReader.read(bytes: planBytes, fileName: planPath)
    guard let plan = read.value else {
      throw SimulationInputs.stop(read.diagnostics, printer: &printer)
    }
    let problems = plan.problems(for: model.layers)
    if problems.containsErrors {
      throw SimulationInputs.stop(
        read.diagnostics + problems, printer: &printer)
    }
    printer.print(loaded.diagnostics + read.diagnostics + problems)
    return CompressionInputs(model: model, plan: plan)
  }
}
