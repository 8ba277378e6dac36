import DesignSpace
import Foundation
import GRDB

/// A sweep's results in one SQLite file, through GRDB.
///
/// The schema is in ``ResultsSchema`` (and Documentation/ResultsDatabase.md).
/// The file is in write-ahead-log mode and every point is committed in its
/// own transaction, so a process killed at any moment, `SIGKILL` included,
/// leaves every committed point intact and no partial one; opening the file
/// again (SQLite replays or discards the log) and skipping the recorded
/// points resumes the sweep. `synchronous = NORMAL`: a killed process loses
/// nothing committed; a power cut may lose the last few commits but never
/// corrupts the file.
///
/// ```swift
/// let store = try ResultsStore(path: "results.sqlite")
/// if try !store.contains(point.id) { try store.record(result) }
/// ```
///
/// This is the only module that imports GRDB.
public final class ResultsStore: Sendable {
  let queue: DatabaseQueue
  /// The file's path.
  public let path: String

  /// Opens (creating if needed) a results file and brings its schema up to
  /// date.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - readOnly: Open without writing (the file must exist and be up to
  ///     date).
  /// - Throws: ``ResultsStoreError`` when the file is not a results
  ///   database or cannot be opened.
  public init(path: String, readOnly: Bool = false) throws(ResultsStoreError) {
    self.path = path
    var configuration = Configuration()
    configuration.readonly = readOnly
    configuration.busyMode = .timeout(10)
    configuration.prepareDatabase { db in
      if !db.configuration.readonly {
        try db.execute(sql: "PRAGMA journal_mode = WAL")
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
      }
    }
    do {
      queue = try DatabaseQueue(path: path, configuration: configuration)
      if readOnly {
        // A file of an older schema is readable: what it lacks is absent.
        let ready = try queue.read { db in
          try ResultsSchema.migrator.appliedIdentifiers(db).contains("v1")
        }
        guard ready else { throw ResultsStoreError.notAResultsDatabase(path) }
      } else {
        try ResultsSchema.migrator.migrate(queue)
      }
    } catch let error as ResultsStoreError {
      throw error
    } catch {
      throw ResultsStoreError.database(path: path, message: "\(error)")
    }
  }

  /// Whether a point has a result (of any status).
  public func contains(_ pointID: String) throws(ResultsStoreError) -> Bool {
    try run { db in
      try Bool.fetchOne(
        db, sql: "SELECT EXISTS (SELECT 1 FROM points WHERE point_id = ?)",
        arguments: [pointID]) ?? false
    }
  }

  /// Stores a point's result in its own transaction; a point already
  /// stored is left as it is.
  ///
  /// - Returns: Whether the row was new.
  @discardableResult
  public func record(_ result: PointResult) throws(ResultsStoreError) -> Bool {
    let row = PointRow(result)
    return try write { db in
      try row.insert(db)
      return db.changesCount > 0
    }
  }

  /// The number of stored points, by status label.
  public func statusCounts() throws(ResultsStoreError) -> [String: Int] {
    try run { db in
      var counts: [String: Int] = [:]
      for row in try Row.fetchAll(
        db, sql: "SELECT status, count(*) AS n FROM points GROUP BY status")
      {
        counts[row["status"] as String? ?? "?", default: 0] +=
          row["n"] as Int? ?? 0
      }
      return counts
    }
  }

  /// Every stored point, ordered by `point_id`.
  ///
  /// - Complexity: O(n) memory; for large files use ``forEachPoint(_:)``.
  public func allPoints() throws(ResultsStoreError) -> [PointRow] {
    var rows: [PointRow] = []
    try forEachPoint { rows.append($0) }
    return rows
  }

  /// Visits every stored point, ordered by `point_id`, one row in memory at
  /// a time.
  public func forEachPoint(_ body: (PointRow) throws -> Void)
    throws(ResultsStoreError)
  {
    do {
      try queue.read { db in
        let cursor = try Row.fetchCursor(
          db, sql: "SELECT * FROM points ORDER BY point_id")
        while let row = try cursor.next() { try body(PointRow(row: row)) }
      }
    } catch let error as ResultsStoreError {
      throw error
    } catch {
      throw ResultsStoreError.database(path: path, message: "\(error)")
    }
  }

  /// A value stored in `sweep_info`, or `nil`.
  public func info(_ key: String) throws(ResultsStoreError) -> String? {
    try run { db in
      try String.fetchOne(
        db, sql: "SELECT value FROM sweep_info WHERE key = ?", arguments: [key])
    }
  }

  /// Stores a `sweep_info` value unless the key has one.
  ///
  /// - Returns: The value stored for the key (the earlier one if any).
  @discardableResult
  public func setInfoIfAbsent(_ key: String, _ value: String)
    throws(ResultsStoreError) -> String
  {
    try write { db in
      try db.execute(
        sql: "INSERT OR IGNORE INTO sweep_info (key, value) VALUES (?, ?)",
        arguments: [key, value])
      return try String.fetchOne(
        db, sql: "SELECT value FROM sweep_info WHERE key = ?", arguments: [key])
        ?? value
    }
  }

  func run<T>(_ body: (Database) throws -> T) throws(ResultsStoreError) -> T {
    do {
      return try queue.read(body)
    } catch {
      throw ResultsStoreError.database(path: path, message: "\(error)")
    }
  }

  func write<T>(_ body: (Database) throws -> T) throws(ResultsStoreError) -> T {
    do {
      return try queue.write(body)
    } catch {
      throw ResultsStoreError.database(path: path, message: "\(error)")
    }
  }
}

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

  /// A sentence for the user.
  public var description: String {
    switch self {
    case .database(let path, let message): "\(path): \(message)"
    case .notAResultsDatabase(let path):
      "\(path) is not a results database written by edgesim sweep"
    case .conflictingResults(let path, let ids):
      "\(path) holds results that differ from ones already merged for \(ids.count) point(s), e.g. \(ids.prefix(3).joined(separator: ", "))"
    }
  }
}
