import Diagnostics
import Foundation
import Reports

/// What `edgesim report` was given: a trace (folder or `summary.json`) or a
/// sweep's results file, told apart by what is on disk.
enum ReportInput {
  /// A simulated run, with warnings about its trace.
  case run(TraceReport, warnings: [Diagnostic])
  /// A sweep, with its `points` table as CSV.
  case sweep(SweepReport, points: CSVTable)

  /// The first bytes of every SQLite 3 file.
  static let sqliteHeader = Array("SQLite format 3\0".utf8)

  /// Reads the input: a folder must hold `summary.json`; a file is a
  /// results database if it starts with SQLite's header, else a summary.
  static func load(_ path: String) -> Result<ReportInput, CommandFailure> {
    let location = SourceLocation(file: path)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
    else {
      return .failure(
        CommandFailure(
          .error(
            "no such file or folder", at: location,
            hint:
              "name a trace folder (edgesim simulate --trace DIR) or a results file (edgesim sweep --db FILE)"
          )))
    }
    if isFolder.boolValue {
      let summary = (path as NSString).appendingPathComponent("summary.json")
      guard FileManager.default.fileExists(atPath: summary) else {
        return .failure(
          CommandFailure(
            .error(
              "not a trace folder: it has no summary.json", at: location,
              hint: "write a trace with edgesim simulate --trace \(path)")))
      }
      return ReportTraceReader.read(summaryPath: summary).map {
        .run($0.0, warnings: $0.1)
      }
    }
    // A named pipe or a device would block the reads below.
    if let refusal = FileIO.checkRegularInput(path) {
      return .failure(CommandFailure(refusal))
    }
    if startsWithSQLiteHeader(path) {
      return ReportSweepReader.read(path).map { .sweep($0.0, points: $0.1) }
    }
    return ReportTraceReader.read(summaryPath: path).map {
      .run($0.0, warnings: $0.1)
    }
    .mapError { failure in
      var f = failure
      if f.diagnostics.first?.message == "not a JSON object" {
        f.diagnostics[0].message =
          "neither a trace summary (JSON) nor a results database (SQLite)"
        f.diagnostics[0].hint =
          "name a trace folder, its summary.json, or a results file written by edgesim sweep --db"
      }
      return f
    }
  }

  static func startsWithSQLiteHeader(_ path: String) -> Bool {
    guard
      case .success(let head) = FileIO.readHead(path, count: sqliteHeader.count)
    else { return false }
    return head == sqliteHeader
  }
}
