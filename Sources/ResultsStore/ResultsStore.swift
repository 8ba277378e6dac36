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
  /// Whether this store created the file (it did not exist).
  public let created: Bool

  /// Opens (creating if needed) a results file and brings its schema up to
  /// date.
  ///
  /// An existing file is checked before anything is written to it (through
  /// a read-only connection): it must be a SQLite database, pass
  /// `PRAGMA integrity_check`, and be a results file: empty, stamped with
  /// ``ResultsSchema/applicationID`` at a schema version this EdgeSim
  /// knows, or of an earlier EdgeSim (application ID 0 with `points` and
  /// `sweep_info` and their columns, adopted and stamped). A new file is
  /// built under a temporary name and linked into place whole, so no
  /// empty or half-made file is ever seen at `path`.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - readOnly: Open without writing (the file must exist); nothing is
  ///     ever written to the file, whatever it holds.
  /// - Throws: ``ResultsStoreError`` when the file is not a results
  ///   database, is damaged or cannot be opened.
  public init(path: String, readOnly: Bool = false) throws(ResultsStoreError) {
    self.path = path
    var created = false
    if !readOnly && !FileManager.default.fileExists(atPath: path) {
      created = try Self.create(path)
    }
    self.created = created
    if readOnly && !FileManager.default.fileExists(atPath: path) {
      throw .database(path: path, message: "no such file")
    }
    let identity = try ResultsFileCheck.identify(path)
    if readOnly && identity == .empty { throw .notAResultsDatabase(path) }
    var configuration = Configuration()
    configuration.readonly = readOnly
    configuration.busyMode = .timeout(30)
    configuration.prepareDatabase { db in
      if !db.configuration.readonly {
        try db.execute(sql: "PRAGMA journal_mode = WAL")
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
      }
    }
    do {
      queue = try DatabaseQueue(path: path, configuration: configuration)
      if !readOnly {
        try ResultsSchema.migrator.migrate(queue)
        try queue.write(Self.stamp)
      }
    } catch let error as ResultsStoreError {
      throw error
    } catch {
      throw ResultsStoreError.database(path: path, message: "\(error)")
    }
  }

  /// Writes the header identity of a file at the newest schema.
  static func stamp(_ db: Database) throws {
    let application = try Int32.fetchOne(db, sql: "PRAGMA application_id")
    let version = try Int32.fetchOne(db, sql: "PRAGMA user_version")
    if application != ResultsSchema.applicationID {
      try db.execute(
        sql: "PRAGMA application_id = \(ResultsSchema.applicationID)")
    }
    if version != ResultsSchema.version {
      try db.execute(sql: "PRAGMA user_version = \(ResultsSchema.version)")
    }
  }

  /// Makes a results file at the newest schema under a temporary name
  /// beside `path`, then links it to `path` unless a file appeared there
  /// meanwhile (another worker made it first).
  ///
  /// - Returns: Whether this call made the file.
  static func create(_ path: String) throws(ResultsStoreError) -> Bool {
    let url = URL(fileURLWithPath: path)
    let temporary = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).\(UUID().uuidString).creating"
    ).path
    defer {
      for suffix in ["", "-wal", "-shm", "-journal"] {
        try? FileManager.default.removeItem(atPath: temporary + suffix)
      }
    }
    do {
      let queue = try DatabaseQueue(path: temporary)
      try queue.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA journal_mode = WAL")
      }
      try ResultsSchema.migrator.migrate(queue)
      try queue.write(stamp)
      // Closing the last connection moves the log into the file.
      try queue.close()
    } catch {
      throw .database(path: path, message: "cannot create the file: \(error)")
    }
    if link(temporary, path) == 0 { return true }
    let linkError = errno
    if linkError == EEXIST { return false }
    // A file system without hard links: rename, unless a file appeared.
    if !FileManager.default.fileExists(atPath: path),
      rename(temporary, path) == 0
    {
      return true
    }
    if FileManager.default.fileExists(atPath: path) { return false }
    throw .database(
      path: path,
      message:
        "cannot create the file: \(String(cString: strerror(linkError)))")
  }

  /// Closes the file.
  ///
  /// The last connection to close moves the write-ahead log into the file
  /// and deletes it, leaving one self-contained file. The store may not be
  /// used afterwards.
  public func close() throws(ResultsStoreError) {
    do {
      try queue.close()
    } catch {
      throw .database(path: path, message: "\(error)")
    }
  }

  /// Deletes the file if this store created it and it holds no point and
  /// no claim (a run that failed before recording anything leaves no file
  /// behind).
  ///
  /// - Returns: Whether the file was deleted.
  @discardableResult
  public func removeIfUnused() -> Bool {
    guard created else { return false }
    let unused =
      (try? queue.read { db in
        try Bool.fetchOne(
          db,
          sql: """
            SELECT NOT EXISTS (SELECT 1 FROM points)
              AND NOT EXISTS (SELECT 1 FROM claims)
              AND NOT EXISTS (SELECT 1 FROM search_choices)
            """)
      }) ?? false
    guard unused == true, (try? queue.close()) != nil else { return false }
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: path + suffix)
    }
    return true
  }

  /// Whether a point has a result (of any status).
  public func contains(_ pointID: String) throws(ResultsStoreError) -> Bool {
    try run { db in
      try Bool.fetchOne(
        db, sql: "SELECT EXISTS (SELECT 1 FROM points WHERE point_id = ?)",
        arguments: [pointID]) ?? false
    }
  }

  /// Stores a point's result and drops any claim on it, in one
  /// transaction; a point already stored is left as it is.
  ///
  /// - Returns: Whether the row was new.
  @discardableResult
  public func record(_ result: PointResult) throws(ResultsStoreError) -> Bool {
    let row = PointRow(result)
    return try immediate { db in
      try row.insert(db)
      let added = db.changesCount > 0
      try db.execute(
        sql: "DELETE FROM claims WHERE point_id = ?", arguments: [row.pointID])
      return added
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

  /// Every `sweep_info` entry whose key starts with `prefix`, by key.
  public func infos(withPrefix prefix: String) throws(ResultsStoreError)
    -> [(key: String, value: String)]
  {
    try run { db in
      try Row.fetchAll(
        db,
        sql:
          "SELECT key, value FROM sweep_info WHERE substr(key, 1, ?) = ? ORDER BY key",
        arguments: [prefix.count, prefix]
      ).map { (key: $0["key"], value: $0["value"]) }
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
