/// What can go wrong with a results file.
public enum ResultsStoreError: Error, Hashable, Sendable,
  CustomStringConvertible
{
  /// SQLite or GRDB refused an operation.
  case database(path: String, message: String)
  /// The file is a database, but not one `edgesim sweep` wrote.
  case notAResultsDatabase(String)
  /// Two files hold different results for the same point.
  case conflictingResults(path: String, pointIDs: [String])
  /// The file is not a SQLite database at all (it was not opened).
  case notSQLite(String)
  /// The file fails SQLite's integrity check; `problems` are its first
  /// findings.
  case corrupt(path: String, problems: [String])
  /// The file is a SQLite database of another application.
  case foreign(path: String, detail: String)
  /// The file was written by a newer EdgeSim, at schema `version`.
  case newerSchema(path: String, version: Int32)

  /// The file the error is about.
  public var path: String {
    switch self {
    case .database(let path, _), .notAResultsDatabase(let path),
      .conflictingResults(let path, _), .notSQLite(let path),
      .corrupt(let path, _), .foreign(let path, _), .newerSchema(let path, _):
      path
    }
  }

  /// What is wrong, without the path (for a diagnostic located at it).
  public var problem: String {
    switch self {
    case .database(_, let message): message
    case .notAResultsDatabase:
      "not a results database written by edgesim sweep"
    case .conflictingResults(_, let ids):
      "holds results that differ from ones already merged for \(ids.count) point(s), e.g. \(ids.prefix(3).joined(separator: ", "))"
    case .notSQLite:
      "not a SQLite database (its first bytes are not SQLite's header); it was left as it is"
    case .corrupt(_, let problems):
      "the database is damaged (PRAGMA integrity_check: \(problems.prefix(2).joined(separator: "; ")))"
    case .foreign(_, let detail):
      "a SQLite database of another application: \(detail)"
    case .newerSchema(_, let version):
      "written by a newer EdgeSim (schema version \(version); this one knows up to \(ResultsSchema.version))"
    }
  }

  /// What the user might do, when there is something to suggest.
  public var hint: String? {
    switch self {
    case .database, .conflictingResults: nil
    case .notAResultsDatabase, .notSQLite, .foreign:
      "name a new file, or a results file of edgesim sweep"
    case .corrupt:
      "nothing was written to it; start a new results file (points already stored can be tried with sqlite3's .recover)"
    case .newerSchema: "use that EdgeSim, or name a new file"
    }
  }

  /// A sentence for the user.
  public var description: String { "\(path): \(problem)" }
}
