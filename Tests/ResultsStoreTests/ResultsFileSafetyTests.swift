import DesignSpace
import Foundation
import GRDB
import ResultsStore
import Testing

/// A results file is told from every other file before anything is written
/// to it: not SQLite, damaged, another application's database, or a newer
/// EdgeSim's; and a file of an earlier EdgeSim is adopted.
@Suite struct ResultsFileSafetyTests {
  static func bytes(_ path: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: path))
  }

  /// The big-endian 32-bit header field at `offset` (60: user_version,
  /// 68: application_id).
  static func headerField(_ path: String, at offset: Int) throws -> Int32 {
    let data = try bytes(path)
    return data[offset..<offset + 4].reduce(0) { $0 << 8 | Int32($1) }
  }

  /// A results file with a few points, closed (its log moved into it).
  static func resultsFile(_ name: String) throws -> String {
    let path = ResultsStoreTests.temporaryPath(name)
    let store = try ResultsStore(path: path)
    for i in 0..<40 { try store.record(ResultsStoreTests.result(i)) }
    try store.close()
    return path
  }

  static func sidecars(_ path: String) -> [String] {
    ["-wal", "-shm", "-journal"].map { path + $0 }.filter {
      FileManager.default.fileExists(atPath: $0)
    }
  }

  @Test func aNewFileCarriesTheApplicationIDAndSchemaVersion() throws {
    let path = try Self.resultsFile("new.sqlite")
    #expect(try Self.headerField(path, at: 68) == ResultsSchema.applicationID)
    #expect(try Self.headerField(path, at: 60) == ResultsSchema.version)
    #expect(ResultsSchema.applicationID == 0x4564_536D)  // "EdSm"
    // No temporary file of its making is left beside it.
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder) == [
        "new.sqlite"
      ])
    let store = try ResultsStore(path: path, readOnly: true)
    #expect(try store.allPoints().count == 40)
  }

  @Test func aFileThatIsNotSQLiteIsRefusedUntouched() throws {
    for text in ["hello", String(repeating: "not a database\n", count: 100)] {
      let path = ResultsStoreTests.temporaryPath("text.sqlite")
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      #expect(throws: ResultsStoreError.notSQLite(path)) {
        try ResultsStore(path: path)
      }
      #expect(throws: ResultsStoreError.notSQLite(path)) {
        try ResultsStore(path: path, readOnly: true)
      }
      #expect(try Self.bytes(path) == Data(text.utf8))
      #expect(Self.sidecars(path).isEmpty)
    }
  }

  @Test func aDamagedFileIsRefusedUntouched() throws {
    let path = try Self.resultsFile("good.sqlite")
    let good = try Self.bytes(path)
    let page = 4096
    // Garbage over the second half of every page after the first.
    var garbage = good
    for start in stride(from: page, to: good.count, by: page) {
      for i in start + page / 2..<start + page {
        garbage[i] = UInt8(i * 37 % 251)
      }
    }
    // And the file cut short.
    let truncated = good.prefix(3 * page)
    for damaged in [garbage, truncated] {
      let file = ResultsStoreTests.temporaryPath("damaged.sqlite")
      try damaged.write(to: URL(fileURLWithPath: file))
      for readOnly in [false, true] {
        do {
          _ = try ResultsStore(path: file, readOnly: readOnly)
          Issue.record("a damaged file was opened")
        } catch {
          guard case .corrupt(let at, let problems) = error else {
            Issue.record("\(error)")
            continue
          }
          #expect(at == file)
          #expect(!problems.isEmpty)
          #expect(error.description.contains("integrity_check"))
        }
      }
      #expect(try Self.bytes(file) == damaged)
      #expect(Self.sidecars(file).isEmpty)
    }
  }

  @Test func anotherApplicationsDatabaseIsRefusedUntouched() throws {
    // One table of someone else's.
    let notes = ResultsStoreTests.temporaryPath("notes.sqlite")
    try DatabaseQueue(path: notes).write { db in
      try db.execute(
        sql:
          "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')"
      )
    }
    // Another application's stamp on an otherwise empty database.
    let stamped = ResultsStoreTests.temporaryPath("stamped.sqlite")
    try DatabaseQueue(path: stamped).write { db in
      try db.execute(sql: "PRAGMA application_id = 1234")
    }
    for path in [notes, stamped] {
      let before = try Self.bytes(path)
      for readOnly in [false, true] {
        do {
          _ = try ResultsStore(path: path, readOnly: readOnly)
          Issue.record("\(path) was opened")
        } catch {
          guard case .foreign = error else {
            Issue.record("\(error)")
            continue
          }
        }
      }
      #expect(try Self.bytes(path) == before)
    }
    let out = try ResultsStore(
      path: ResultsStoreTests.temporaryPath("out.sqlite"))
    #expect(throws: ResultsStoreError.self) { try out.merge(from: notes) }
    #expect(try out.allPoints().isEmpty)
  }

  @Test func aNewerEdgeSimsFileIsRefused() throws {
    let path = try Self.resultsFile("newer.sqlite")
    try DatabaseQueue(path: path).write { db in
      try db.execute(sql: "PRAGMA user_version = \(ResultsSchema.version + 1)")
    }
    let before = try Self.bytes(path)
    #expect(
      throws: ResultsStoreError.newerSchema(
        path: path, version: ResultsSchema.version + 1)
    ) {
      try ResultsStore(path: path)
    }
    #expect(try Self.bytes(path) == before)
  }

  @Test func anEarlierEdgeSimsFileIsAdoptedWithItsPoints() throws {
    // Schema v2, written before files were stamped.
    let path = ResultsStoreTests.temporaryPath("earlier.sqlite")
    let queue = try DatabaseQueue(path: path)
    try ResultsSchema.migrator.migrate(queue, upTo: "v2-search")
    try queue.write { db in
      try db.execute(
        sql: "INSERT INTO sweep_info (key, value) VALUES ('sweep', 'old')")
    }
    try queue.close()
    #expect(try Self.headerField(path, at: 68) == 0)
    let reader = try ResultsStore(path: path, readOnly: true)
    #expect(try reader.info("sweep") == "old")
    let store = try ResultsStore(path: path)
    #expect(!store.created)
    try store.record(ResultsStoreTests.result(0))
    #expect(try store.info("sweep") == "old")
    try store.close()
    #expect(try Self.headerField(path, at: 68) == ResultsSchema.applicationID)
    #expect(try Self.headerField(path, at: 60) == ResultsSchema.version)
  }

  @Test func anEmptyFileIsANewResultsFile() throws {
    let path = ResultsStoreTests.temporaryPath("empty.sqlite")
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    #expect(throws: ResultsStoreError.notAResultsDatabase(path)) {
      try ResultsStore(path: path, readOnly: true)
    }
    let store = try ResultsStore(path: path)
    try store.record(ResultsStoreTests.result(0))
    try store.close()
    #expect(try Self.headerField(path, at: 68) == ResultsSchema.applicationID)
  }

  @Test func aFileMadeAndUnusedIsRemovedOnRequest() throws {
    let path = ResultsStoreTests.temporaryPath("unused.sqlite")
    let store = try ResultsStore(path: path)
    #expect(store.created)
    #expect(store.removeIfUnused())
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(Self.sidecars(path).isEmpty)
    // A file holding a point, or one this store did not make, is kept.
    let used = try ResultsStore(path: path)
    try used.record(ResultsStoreTests.result(0))
    #expect(!used.removeIfUnused())
    let existing = ResultsStoreTests.temporaryPath("kept.sqlite")
    try ResultsStore(path: existing).close()
    #expect(try !ResultsStore(path: existing).removeIfUnused())
    #expect(FileManager.default.fileExists(atPath: existing))
  }
}
