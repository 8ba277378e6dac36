import Diagnostics
import Foundation

/// Finds a device or a model named on the command line: a file path, or the
/// name of a description built into the binary (`eyeriss-v1`,
/// `mobilenet_v2`).
enum Bundled {
  /// The file's name and bytes, or a diagnostic listing the bundled names.
  static func hardware(_ argument: String) -> Result<
    (String, [UInt8]), Diagnostic
  > {
    lookup(
      argument, in: BundledFiles.hardware, folder: "Hardware", what: "device")
  }

  /// The file's name and bytes, or a diagnostic listing the bundled names.
  static func workload(_ argument: String) -> Result<
    (String, [UInt8]), Diagnostic
  > {
    lookup(
      argument, in: BundledFiles.workloads, folder: "Workloads", what: "model")
  }

  /// Whether an argument names a file rather than a bundled description.
  static func isPath(_ argument: String) -> Bool {
    argument.contains("/") || argument.contains(".")
      || FileManager.default.fileExists(atPath: argument)
  }

  private static func lookup(
    _ argument: String, in files: [(name: String, text: String)],
    folder: String, what: String
  ) -> Result<(String, [UInt8]), Diagnostic> {
    if isPath(argument) {
      return FileIO.read(argument).map { (argument, $0) }
    }
    if let file = files.first(where: { $0.name == argument + ".yaml" }) {
      return .success(("\(folder)/\(file.name)", Array(file.text.utf8)))
    }
    let names = files.map { String($0.name.dropLast(5)) }
    return .failure(
      .error(
        "no bundled \(what) named '\(argument)', and no such file", at: nil,
        hint: Suggestions.hint(for: argument, among: names)))
  }
}
