import Diagnostics
import Foundation

/// Writes `edgesim report`'s outputs atomically and says where they went.
enum ReportOutput {
  /// Writes the text (a temporary file beside `path`, then renamed), then
  /// prints `wrote PATH (SIZE)` on standard error.
  static func write(_ text: String, to path: String) throws(CommandFailure) {
    let data = Data(text.utf8)
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder),
      isFolder.boolValue
    {
      throw CommandFailure(
        .error(
          "this is a folder; name a file to write",
          at: SourceLocation(file: path)))
    }
    do throws(FileIO.WriteFailure) {
      try FileIO.writeAtomically(data, to: path)
    } catch {
      throw CommandFailure(
        .error(
          "cannot write the file: \(error.reason)",
          at: SourceLocation(file: path),
          hint: "check that its folder can be created and written"))
    }
    let place =
      path == OutputPath.standardOutput ? "standard output" : path
    Terminal.standardError("wrote \(place) (\(sizeText(data.count)))")
  }

  /// The system's reason (`No such file or directory`, `Permission
  /// denied`) rather than Foundation's generic sentence, when it has one.
  static func reason(_ error: any Error) -> String {
    let e = error as NSError
    let underlying = e.userInfo[NSUnderlyingErrorKey] as? NSError
    return (underlying ?? e).localizedDescription
  }

  static func sizeText(_ bytes: Int) -> String {
    bytes < 10 * 1024 ? "\(bytes) bytes" : "\(bytes / 1024) KiB"
  }
}
