import Diagnostics
import Foundation

/// Reading and writing files for the commands: the only place that touches
/// the file system, so the libraries below stay pure.
enum FileIO {
  /// The largest input file read (anything larger is refused unread).
  static let maximumInputBytes = 256 << 20

  /// Reads a file's bytes, or returns a diagnostic saying why it cannot.
  static func read(_ path: String, limit: Int = maximumInputBytes) -> Result<
    [UInt8], Diagnostic
  > {
    let location = SourceLocation(file: path)
    var isDirectory: ObjCBool = false
    guard
      FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    else {
      return .failure(
        .error("no such file", at: location, hint: "check the path"))
    }
    if isDirectory.boolValue {
      return .failure(
        .error(
          "this is a folder, not a file", at: location,
          hint: "name a file in it"))
    }
    if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let size = attributes[.size] as? NSNumber, size.intValue > limit
    {
      return .failure(
        .error(
          "the file is \(size.intValue) bytes, over the limit of \(limit) bytes",
          at: location,
          hint: "is this the right file?"))
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      return .failure(
        .error(
          "cannot open the file for reading", at: location,
          hint: "check its permissions"))
    }
    defer { try? handle.close() }
    do {
      let data = try handle.read(upToCount: limit + 1) ?? Data()
      if data.count > limit {
        return .failure(
          .error("the file is over the limit of \(limit) bytes", at: location))
      }
      return .success([UInt8](data))
    } catch {
      return .failure(
        .error(
          "cannot read the file: \(error.localizedDescription)", at: location))
    }
  }

  /// Writes a file atomically: to a temporary file beside it, then renamed,
  /// so an interrupted run never leaves a half-written output.
  static func writeAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url, options: .atomic)
  }
}
