import Diagnostics
import Foundation
import NetworkGraph
import ONNXImport
import SpecFormats

/// A network read from a file, whatever its format, ready to count, simulate
/// or run.
struct LoadedModel {
  /// The network after import passes (identities removed, batch-norm folded).
  var network: Network
  /// Shapes of every tensor.
  var shapes: InferredShapes
  /// Initializers whose data is absent (shape-only models).
  var missingWeights: [String]
  /// The file name as given.
  var fileName: String
}

/// Reads a model by its extension: `.onnx` (ONNX), `.yaml`/`.yml`
/// (EdgeSim's layer list), `.csv` (SCALE-Sim topology).
enum ModelLoader {
  static let extensions = ["onnx", "yaml", "yml", "csv"]

  /// The reader of an ONNX model's external data files: each is read only
  /// if its real path (symbolic links resolved) lies inside the model's real
  /// folder, and only if it is a regular file.
  static func externalDataFiles(beside path: String) -> ExternalDataFiles {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    return ExternalDataFiles { relative in
      switch FileIO.readBytes(folder + "/" + relative, inside: folder) {
      case .success(let bytes): .bytes(bytes)
      case .failure(.missing): .notFound
      case .failure(let failure): .refused(failure.reason)
      }
    }
  }

  /// A file's name without its folder and last extension.
  static func stem(_ path: String) -> String {
    let name = URL(fileURLWithPath: path).deletingPathExtension()
      .lastPathComponent
    return name.isEmpty ? path : name
  }

  /// Loads a model, printing nothing; returns the diagnostics (warnings may
  /// come with a model).
  static func load(
    _ path: String, batch: Int?, dimensions: [String: Int] = [:]
  ) -> (LoadedModel?, [Diagnostic], String?) {
    switch FileIO.read(path) {
    case .success(let bytes):
      return load(
        fileName: path, bytes: bytes, batch: batch, dimensions: dimensions)
    case .failure(let d): return (nil, [d], nil)
    }
  }

  /// Loads a model from its bytes.
  ///
  /// `path` is its file name (external ONNX data is looked up beside it).
  /// `dimensions` binds an ONNX model's
  /// symbolic dimensions by name (`--dim`); a layer list or topology has
  /// none, so any binding there is an error.
  static func load(
    fileName path: String, bytes: [UInt8], batch: Int?,
    dimensions: [String: Int] = [:]
  ) -> (LoadedModel?, [Diagnostic], String?) {
    let lower = path.lowercased()
    if lower.hasSuffix(".onnx") {
      // Each file is read only if its real path (symbolic links resolved)
      // lies inside the model's real folder, and only if it is a regular
      // file: the importer has checked the location only as text.
      var files = externalDataFiles(beside: path)
      var options = ImportOptions()
      options.batch = batch
      options.dimensions = dimensions
      let result = ONNXImporter.read(
        bytes: bytes, fileName: path, options: options,
        externalData: { files.resolve($0) })
      guard let model = result.value else {
        return (nil, result.diagnostics, nil)
      }
      // The graph's name is the exporter's (`main_graph` for every PyTorch
      // export); the file's stem is the name the user gave the model.
      var network = model.network
      network.name = stem(path)
      return (
        LoadedModel(
          network: network, shapes: model.shapes,
          missingWeights: model.missingWeights,
          fileName: path),
        result.diagnostics, nil
      )
    }
    let text = String(decoding: bytes.prefix(4 << 20), as: UTF8.self)
    if let name = dimensions.keys.min() {
      return (
        nil,
        [
          .error(
            "--dim \(name): only an ONNX model has symbolic dimensions to bind",
            at: SourceLocation(file: path),
            hint:
              "a layer list or SCALE-Sim topology states every size; edit it instead"
          )
        ], text
      )
    }
    let result: LoadResult<Network>
    if lower.hasSuffix(".csv") {
      result = ScaleSimTopologyReader.read(bytes: bytes, fileName: path)
    } else if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
      result = WorkloadReader.read(bytes: bytes, fileName: path)
    } else {
      let hint =
        "EdgeSim reads models as .onnx, .yaml (layer list) or .csv (SCALE-Sim topology)"
      return (
        nil,
        [
          .error(
            "unknown model format", at: SourceLocation(file: path), hint: hint)
        ], nil
      )
    }
    guard var network = result.value else {
      return (nil, result.diagnostics, text)
    }
    var diagnostics = result.diagnostics
    do {
      // A layer list states its batch in the input shape; --batch replaces it.
      if let batch {
        for i in network.inputs.indices
        where !network.inputs[i].dimensions.isEmpty {
          network.inputs[i].dimensions[0] = .fixed(batch)
        }
      }
      // As deployed, and as the ONNX importer does: identities removed,
      // batch-norm folded into the producing conv or gemm.
      network = network.removingIdentities().foldingBatchNormalization()
      let shapes = try network.inferShapes()
      let missing = network.initializers.filter { !$0.hasData }.map(\.name)
      return (
        LoadedModel(
          network: network, shapes: shapes, missingWeights: missing,
          fileName: path),
        diagnostics, text
      )
    } catch {
      diagnostics.append(error.diagnostic(file: path))
      return (nil, diagnostics, text)
    }
  }
}
