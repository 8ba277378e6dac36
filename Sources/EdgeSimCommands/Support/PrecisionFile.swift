import Diagnostics
import NetworkGraph
import PrecisionModel
import SpecFormats

/// Reads a precision file (FIXED_POINT.md §11) and resolves it against a
/// network, with every problem at its line and column.
enum PrecisionFile {
  /// Reads and resolves `path` for `network`.
  ///
  /// - Returns: The resolved precision and the reader's warnings.
  /// - Throws: ``CommandFailure`` with the file's errors (syntax, keys and
  ///   values by the reader; unknown layers and formats on
  ///   format-preserving nodes by the network check), located.
  static func resolve(_ path: String, for network: Network)
    throws(CommandFailure)
    -> (precision: ResolvedPrecision, warnings: [Diagnostic])
  {
    let bytes: [UInt8]
    switch FileIO.read(path) {
    case .success(let b): bytes = b
    case .failure(let d): throw CommandFailure(d)
    }
    let sources = [path: String(decoding: bytes.prefix(4 << 20), as: UTF8.self)]
    let result = PrecisionReader.read(bytes: bytes, fileName: path)
    guard let plan = result.value else {
      throw CommandFailure(result.diagnostics, sources: sources)
    }
    do {
      return (try plan.resolve(for: network), result.diagnostics)
    } catch {
      if case .invalidPrecision(let problems) = error {
        throw CommandFailure(
          PrecisionReader.locate(problems, in: plan, fileName: path),
          sources: sources)
      }
      throw CommandFailure(
        [.error(error.description, at: SourceLocation(file: path))],
        sources: sources)
    }
  }
}
