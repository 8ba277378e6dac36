import Foundation
import GRDB

/// What an existing file is, found before anything is written to it: its
/// first bytes, then (through a read-only connection, which never writes
/// the file) SQLite's integrity check, the header's application
/// identifier and schema version, and the tables.
enum ResultsFileCheck {
  /// A file that may be opened as a results file.
  enum Identity: Equatable {
    /// An empty database (no tables, no identity): a new results file.
    case empty
    /// A results file of an EdgeSim from before the header identity:
    /// `points` and `sweep_info` with their columns, application ID 0.
    case earlier
    /// A results file at `version` (at most ``ResultsSchema/version``).
    case current(version: Int32)
  }

  /// The first bytes of every SQLite 3 database.
  static let header = Array("SQLite format 3\0".utf8)

  /// What the file at `path` is, or why it may not be used.
  static func identify(_ path: String) throws(ResultsStoreError) -> Identity {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    if let type = attributes?[.type] as? FileAttributeType, type != .typeRegular
    {
      // A named pipe would block the reads below.
      throw .database(path: path, message: "not a regular file")
    }
    let size = fileSize(path)
    if size == 0 && fileSize(path + "-wal") == 0 { return .empty }
    if size > 0 {
      // SQLite's header is 100 bytes; anything shorter or different is
      // not a database, and is not opened at all.
      guard size >= 100, firstBytes(path, count: header.count) == header else {
        throw .notSQLite(path)
      }
    }
    // A read-only connection to a database in WAL mode makes the log and
    // its index beside it; a refused file is left as it was found.
    let sidecars = ["-wal", "-shm"].map { path + $0 }.filter {
      !FileManager.default.fileExists(atPath: $0)
    }
    do {
      return try inspect(path)
    } catch {
      for sidecar in sidecars {
        try? FileManager.default.removeItem(atPath: sidecar)
      }
      throw error
    }
  }

  /// Checks a SQLite file's integrity and identity through a read-only
  /// connection.
  static func inspect(_ path: String) throws(ResultsStoreError) -> Identity {
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(30)
    do {
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      defer { try? queue.close() }
      return try queue.read { db throws -> Identity in
        let report = try String.fetchAll(db, sql: "PRAGMA integrity_check(5)")
        guard report == ["ok"] else {
          // The report's lines, without its "*** in database main ***".
          let problems = report.flatMap { $0.split(separator: "\n") }.map(
            String.init
          ).filter { !$0.hasPrefix("***") }
          throw ResultsStoreError.corrupt(path: path, problems: problems)
        }
        return try classify(db, path: path)
      }
    } catch let error as ResultsStoreError {
      throw error
    } catch let error as DatabaseError
      where error.resultCode == .SQLITE_CORRUPT
      || error.resultCode == .SQLITE_NOTADB
    {
      throw .corrupt(path: path, problems: [error.message ?? "\(error)"])
    } catch {
      throw .database(path: path, message: "\(error)")
    }
  }

  /// The identity of a sound database, from its header and tables.
  static func classify(_ db: Database, path: String) throws -> Identity {
    let application = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
    let version = try Int32.fetchOne(db, sql: "PRAGMA user_version") ?? 0
    if application == ResultsSchema.applicationID {
      guard version <= ResultsSchema.version else {
        throw ResultsStoreError.newerSchema(path: path, version: version)
      }
      return .current(version: version)
    }
    guard application == 0 else {
      throw ResultsStoreError.foreign(
        path: path,
        detail:
          "its application_id is \(hex(application)), not EdgeSim's \(hex(ResultsSchema.applicationID))"
      )
    }
    let tables = try String.fetchAll(
      db,
      sql: """
        SELECT name FROM sqlite_master WHERE type IN ('table', 'view')
        AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name
        """)
    if tables.isEmpty && version == 0 { return .empty }
    let points = try Set(
      Row.fetchAll(db, sql: "PRAGMA table_info(points)").map {
        $0["name"] as String
      })
    let info = try Set(
      Row.fetchAll(db, sql: "PRAGMA table_info(sweep_info)").map {
        $0["name"] as String
      })
    guard points == Set(ResultsSchema.version1PointColumns),
      info == ["key", "value"], version == 0
    else {
      let listed = tables.prefix(5).joined(separator: ", ")
      let more = tables.count > 5 ? ", …" : ""
      throw ResultsStoreError.foreign(
        path: path,
        detail: tables.isEmpty
          ? "it has no tables and user_version \(version)"
          : "its tables (\(listed)\(more)) are not those of a results file")
    }
    return .earlier
  }

  static func hex(_ value: Int32) -> String {
    "0x" + String(UInt32(bitPattern: value), radix: 16)
  }

  /// The file's size in bytes, or 0 when it does not exist.
  static func fileSize(_ path: String) -> Int {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    return (attributes?[.size] as? NSNumber)?.intValue ?? 0
  }

  static func firstBytes(_ path: String, count: Int) -> [UInt8] {
    guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
    defer { try? handle.close() }
    return [UInt8]((try? handle.read(upToCount: count)) ?? Data())
  }
}
