import Diagnostics
import Foundation
import Simulation
import TraceFormats

/// Writes `edgesim simulate`'s trace folder (`summary.json`, `layers.csv`,
/// `trace.json`) as a whole, with ``FolderWriter``: a run killed while
/// writing leaves the old trace or the new one, never a new summary beside
/// an old `trace.json`.
///
/// An existing folder is replaced only when it holds nothing but trace
/// files and reports made from them (`report*.html`, `report*.csv`, which
/// the new folder keeps as they are, as the bundled trace keeps its
/// `report.html`); a folder with anything else in it is left alone and
/// reported, since replacing it would delete that.
enum TraceFolder {
  /// The files of a trace.
  static let fileNames: Set<String> = [
    "summary.json", "layers.csv", "trace.json",
  ]

  /// Whether a file beside a trace is a report made from it (kept when the
  /// trace is replaced).
  static func isReport(_ name: String) -> Bool {
    name.hasPrefix("report")
      && (name.hasSuffix(".html") || name.hasSuffix(".csv"))
  }

  /// Refuses the folder before anything is computed or written: an empty
  /// path, an input of the command, something that is not a folder, or a
  /// folder holding other files.
  static func check(_ folder: String) throws(CommandFailure) {
    try OutputPath.check([(folder, "--trace", .folder)])
    guard FileStatus.of(folder).kind == .directory else { return }
    let entries =
      (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    let others = entries.filter { !fileNames.contains($0) && !isReport($0) }
      .sorted()
    guard !others.isEmpty else { return }
    let shown = others.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
    let more = others.count > 3 ? " and \(others.count - 3) more" : ""
    throw CommandFailure(
      .error(
        "the folder holds files that are not a trace (\(shown)\(more)); not replacing it",
        at: SourceLocation(file: folder),
        hint:
          "name a new folder, or a trace folder to replace (the whole folder is replaced; reports in it are kept)"
      ))
  }

  /// What the folder's trace was of, when it is a trace of another run
  /// than `summary` (another model, device, precision or batch), in words;
  /// `nil` for a new folder, the same run again, or an unreadable summary.
  static func otherRun(in folder: String, than summary: RunSummary) -> String? {
    let path = folder + "/summary.json"
    guard FileManager.default.fileExists(atPath: path),
      case .success(let bytes) = FileIO.readBytes(
        path, limit: 64 << 20, isInput: false),
      case .success(let old) = TraceDocument.read(bytes: bytes)
    else { return nil }
    let same =
      old.model == summary.model && old.device == summary.device
      && old.precision == summary.precision && old.batch == summary.batch
    return same
      ? nil
      : "\(old.model) on \(old.device) (\(old.precision), batch \(old.batch))"
  }

  /// Writes the three files as the folder `folder`.
  static func write(
    summary: String, layers: String, trace: String, to folder: String
  ) throws(CommandFailure) {
    try check(folder)
    let reports =
      ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter(isReport).sorted()
    do throws(FileIO.WriteFailure) {
      try FolderWriter.write(
        [
          ("summary.json", Array(summary.utf8)),
          ("layers.csv", Array(layers.utf8)),
          ("trace.json", Array(trace.utf8)),
        ], to: folder, keeping: reports)
    } catch {
      throw CommandFailure(
        .error(
          "cannot write the trace: \(error.reason)",
          at: SourceLocation(file: folder),
          hint: "check the folder's permissions and free space"))
    }
  }
}
