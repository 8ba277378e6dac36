import Diagnostics
import NetworkGraph

/// The model file being read, for locating diagnostics.
struct ImportContext {
  /// The model file as the caller named it.
  let fileName: String

  /// An error located at `entity` in the model file.
  func error(_ message: String, entity: String?, hint: String? = nil)
    -> Diagnostic
  {
    .error(
      message, at: SourceLocation(file: fileName, entity: entity), hint: hint)
  }

  /// A warning located at `entity` in the model file.
  func warning(_ message: String, entity: String?, hint: String? = nil)
    -> Diagnostic
  {
    .warning(
      message, at: SourceLocation(file: fileName, entity: entity), hint: hint)
  }

  /// A `NetworkError` as a diagnostic in the model file.
  func diagnostic(_ error: NetworkError) -> Diagnostic {
    error.diagnostic(file: fileName)
  }
}

/// How diagnostics name a tensor: `tensor 'conv1.weight'`.
func tensorEntity(_ name: String) -> String { "tensor '\(name)'" }
