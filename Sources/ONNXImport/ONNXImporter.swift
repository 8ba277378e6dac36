import Diagnostics
import NetworkGraph

/// Reads ONNX models into EdgeSim's ``NetworkGraph/Network``.
///
/// The importer never touches the file system: it takes the model's bytes,
/// the file name to cite in diagnostics, and a resolver for tensors stored as
/// external data. Reading goes:
///
/// 1. Decode the `ModelProto` (nesting limited by
///    ``ImportOptions/messageDepthLimit``); undecodable bytes are an error
///    "not an ONNX model or truncated: …".
/// 2. Check the default-domain opset is in ``supportedOpsets``.
/// 3. Decode initializers (typed fields, `raw_data`, external data); a
///    missing external file makes its tensors shape-only, with a warning.
/// 4. Bind symbolic dimensions (a leading one to the batch size).
/// 5. Walk the nodes in data-flow order: Constant nodes become initializers,
///    shape computations on constants are evaluated (see
///    ``foldedOperators``), every other node maps to an ``Operator``; each
///    unsupported node is an error naming it.
/// 6. Validate the graph (``NetworkGraph/Network/validate(file:)``), remove
///    Identity and Dropout, fold BatchNormalization and infer shapes.
///
/// ```swift
/// var files = ExternalDataFiles { path in try? readBytes(folder + "/" + path) }
/// let result = ONNXImporter.read(
///   bytes: modelBytes, fileName: "resnet18.onnx", externalData: { files.resolve($0) })
/// ```
public enum ONNXImporter {
  /// The default-domain (`""` or `"ai.onnx"`) operator set versions read.
  public static let supportedOpsets: ClosedRange<Int> = 7...23

  /// The ONNX operators that map to an ``NetworkGraph/Operator``, plus
  /// `Constant`, sorted.
  public static let supportedOperators: [String] =
    Set(Operator.supportedOpTypes + ["Constant"]).sorted()

  /// Operators evaluated at import when all their inputs are constants (as
  /// in shape computations); the ones not in ``supportedOperators`` are
  /// errors when their inputs are not constant.
  public static let foldedOperators: [String] = ConstantFolder.operators
    .sorted()

  /// Reads a model.
  ///
  /// - Parameters:
  ///   - bytes: The `.onnx` file's contents.
  ///   - fileName: The file as the user named it, for diagnostics.
  ///   - options: Batch size, dimension bindings and limits.
  ///   - externalData: Returns the bytes of a tensor stored outside the file.
  ///     Called only with locations already checked to be relative and
  ///     inside the model's folder (see ``ExternalDataRequest``).
  /// - Returns: The model when there is no error, and every diagnostic:
  ///   errors name the node (`node 'conv1' (Conv)`) or tensor; a warning
  ///   lists tensors left shape-only by a missing external file.
  public static func read(
    bytes: [UInt8], fileName: String, options: ImportOptions = .init(),
    externalData: (ExternalDataRequest) -> ExternalDataResult
  ) -> LoadResult<ImportedModel> {
    var reader = ModelReader(
      context: ImportContext(fileName: fileName), options: options)
    let model = reader.read(bytes, externalData: externalData)
    return LoadResult(value: model, diagnostics: reader.diagnostics)
  }
}
