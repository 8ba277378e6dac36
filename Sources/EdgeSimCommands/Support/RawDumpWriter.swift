import BitAccurateExecution
import Diagnostics
import Foundation
import NumPyFormat

/// Writes the raw dump of FIXED_POINT.md §11 to a folder, all or nothing.
///
/// One `.npy` per tensor (raws as little-endian int64 in the tensor's shape;
/// float islands as float32) plus `formats.json`. Everything is written into
/// a temporary folder beside the target, which then replaces it in one step
/// (``FolderWriter``), so an interrupted run never leaves a half-written
/// dump. An existing
/// target is replaced only when it is empty or is itself a dump (holds
/// `formats.json`); any other folder or file is left alone and reported.
enum RawDumpWriter {
  /// Writes `entries` to the folder `path`.
  ///
  /// - Throws: ``CommandFailure`` when the folder cannot be written or would
  ///   replace something that is not a dump.
  static func write(_ entries: [DumpEntry], to path: String)
    throws(CommandFailure)
  {
    let location = SourceLocation(file: path)
    try checkReplaceable(URL(fileURLWithPath: path), location: location)
    do throws(FileIO.WriteFailure) {
      var files: [(name: String, bytes: [UInt8])] = []
      for entry in entries {
        do {
          files.append((entry.fileName, [UInt8](try contents(of: entry))))
        } catch {
          throw FileIO.WriteFailure(reason: "\(error)")
        }
      }
      // Names that sanitize alike: the last one is kept, as when each was
      // written over the one before.
      var last: [String: Int] = [:]
      for (index, file) in files.enumerated() { last[file.name] = index }
      files = files.enumerated().filter { last[$0.element.name] == $0.offset }
        .map(\.element)
      files.append(("formats.json", Array(DumpEntry.formatsJSON(entries).utf8)))
      try FolderWriter.write(files, to: path)
    } catch {
      throw CommandFailure(
        .error(
          "cannot write the dump: \(error.reason)", at: location,
          hint: "check the folder's permissions and free space"))
    }
  }

  /// One entry's `.npy` bytes.
  static func contents(of entry: DumpEntry) throws -> Data {
    switch entry.contents {
    case .raw(let raws, _):
      try NumPyArray(int64: raws, shape: entry.shape).npyData()
    case .float(let values):
      try NumPyArray(float32: values, shape: entry.shape).npyData()
    }
  }

  /// Refuses to replace a file, or a non-empty folder that is not a dump.
  static func checkReplaceable(_ target: URL, location: SourceLocation)
    throws(CommandFailure)
  {
    let fileManager = FileManager.default
    var isDirectory: ObjCBool = false
    guard fileManager.fileExists(atPath: target.path, isDirectory: &isDirectory)
    else { return }
    guard isDirectory.boolValue else {
      throw CommandFailure(
        .error(
          "--dump names a file; it takes a folder", at: location,
          hint: "name a new folder"))
    }
    let items =
      (try? fileManager.contentsOfDirectory(atPath: target.path)) ?? []
    if !items.isEmpty, !items.contains("formats.json") {
      throw CommandFailure(
        .error(
          "the folder exists and is not a raw dump (no formats.json); not replacing it",
          at: location, hint: "name a new folder, or an earlier dump to replace"
        ))
    }
  }
}
