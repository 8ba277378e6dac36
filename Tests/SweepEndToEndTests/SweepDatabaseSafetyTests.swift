import Foundation
import GRDB
import ResultsStore
import Testing

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// `edgesim sweep` and the readers of its results file, given files that
/// are not sound results files, and two sweeps on one file at once.
@Suite(.serialized) struct SweepDatabaseSafetyTests {
  /// 96 points of LeNet-5, about a second and a half on one core.
  static let spec = """
    name: safety
    models: lenet5
    devices: systolic-32x32
    hardware:
      array_size: 4..19
      bandwidth: [1 GB/s, 2 GB/s, 4 GB/s]
      clock: [500 MHz, 1 GHz]
    """
  static let total = 16 * 3 * 2

  /// A folder with the sweep file.
  static func folder() throws -> URL {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    try Data(spec.utf8).write(to: folder.appendingPathComponent("spec.yaml"))
    return folder
  }

  static func bytes(_ url: URL) throws -> Data { try Data(contentsOf: url) }

  static func exists(_ folder: URL, _ name: String) -> Bool {
    FileManager.default.fileExists(
      atPath: folder.appendingPathComponent(name).path)
  }

  /// The number in "N evaluated" of a sweep's summary line.
  static func evaluated(_ log: String) -> Int? {
    guard
      let range = log.range(
        of: #"(\d+) evaluated"#, options: .regularExpression)
    else { return nil }
    return Int(log[range].split(separator: " ")[0])
  }

  /// Checks that `sweep`, `report` and `sweep merge` refuse `name` with
  /// exit 1 (the sweeps with `message`), leave it byte for byte as it
  /// was, with nothing beside it, and make no output.
  static func expectRefused(
    _ name: String, in folder: URL, message: String
  ) throws {
    let url = folder.appendingPathComponent(name)
    let before = try bytes(url)
    let commands: [[String]] = [
      ["sweep", "spec.yaml", "--db", name],
      ["report", name, "--html", "page.html"],
      ["sweep", "merge", "merged.sqlite", name],
    ]
    for command in commands {
      let (status, log) = try EdgeSimProcess.run(command, in: folder)
        .statusAndError
      #expect(status == 1, "\(command): \(log)")
      #expect(log.contains("\(name): error:"), "\(log)")
      if command[0] == "sweep" {
        #expect(log.contains(message), "\(log)")
      }
      #expect(try bytes(url) == before, "\(command) changed \(name)")
      for sidecar in ["-wal", "-shm", "-journal"] {
        #expect(
          !exists(folder, name + sidecar), "\(command) left \(name)\(sidecar)")
      }
      #expect(!exists(folder, "page.html"))
      #expect(!exists(folder, "merged.sqlite"), "\(command) left its output")
    }
  }

  @Test func aDamagedResultsFileIsRefusedAndLeftAsItWas() throws {
    let folder = try Self.folder()
    let (status, log) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "good.sqlite"], in: folder
    ).statusAndError
    #expect(status == 0, "\(log)")
    let good = try Self.bytes(folder.appendingPathComponent("good.sqlite"))
    let page = 4096
    #expect(good.count > 4 * page)
    // Garbage over the second half of every page but the first.
    var garbage = good
    for start in stride(from: page, to: good.count, by: page) {
      for i in start + page / 2..<start + page {
        garbage[i] = UInt8(i * 37 % 251)
      }
    }
    try garbage.write(to: folder.appendingPathComponent("garbage.sqlite"))
    try good.prefix(3 * page).write(
      to: folder.appendingPathComponent("cut.sqlite"))
    for name in ["garbage.sqlite", "cut.sqlite"] {
      try Self.expectRefused(
        name, in: folder,
        message: "the database is damaged (PRAGMA integrity_check: ")
    }
  }

  @Test func anotherApplicationsFileIsRefusedAndLeftAsItWas() throws {
    let folder = try Self.folder()
    let notes = folder.appendingPathComponent("notes.sqlite").path
    let queue = try DatabaseQueue(path: notes)
    try queue.write { db in
      try db.execute(
        sql:
          "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')"
      )
    }
    try queue.close()
    try Self.expectRefused(
      "notes.sqlite", in: folder,
      message: "a SQLite database of another application: its tables (notes)")
    try Data(String(repeating: "plain text\n", count: 40).utf8).write(
      to: folder.appendingPathComponent("text.sqlite"))
    try Self.expectRefused(
      "text.sqlite", in: folder, message: "not a SQLite database")
  }

  @Test func twoSweepsOnOneFileEvaluateEachPointOnce() throws {
    let folder = try Self.folder()
    let (status, log) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "single.sqlite", "--jobs", "1"], in: folder
    ).statusAndError
    #expect(status == 0, "\(log)")
    let workers = try (0..<2).map { _ in
      try EdgeSimProcess.start(
        ["sweep", "spec.yaml", "--db", "shared.sqlite", "--jobs", "1"],
        in: folder
      ).processAndLog
    }
    var evaluated = 0
    for (process, logURL) in workers {
      process.waitUntilExit()
      let log = try String(contentsOf: logURL, encoding: .utf8)
      #expect(process.terminationStatus == 0, "\(log)")
      evaluated += Self.evaluated(log) ?? 0
    }
    #expect(
      evaluated == Self.total, "the two workers evaluated \(evaluated) points")
    let single = try ResultsStore(
      path: folder.appendingPathComponent("single.sqlite").path, readOnly: true)
    let shared = try ResultsStore(
      path: folder.appendingPathComponent("shared.sqlite").path, readOnly: true)
    #expect(try single.allPoints().count == Self.total)
    #expect(try shared.allPoints() == single.allPoints())
    #expect(try shared.claimCount() == 0)
  }

  @Test func aSweepKilledAfterTwoWorkersStartedLosesNothing() throws {
    let folder = try Self.folder()
    let path = folder.appendingPathComponent("shared.sqlite").path
    let (first, _) = try EdgeSimProcess.start(
      ["sweep", "spec.yaml", "--db", "shared.sqlite", "--jobs", "1"], in: folder
    ).processAndLog
    let (second, secondLog) = try EdgeSimProcess.start(
      ["sweep", "spec.yaml", "--db", "shared.sqlite", "--jobs", "1"], in: folder
    ).processAndLog
    // Killed once it has recorded a few points, and holds a claim.
    let deadline = Date().addingTimeInterval(60)
    while first.isRunning, Date() < deadline,
      (try? ResultsStore(path: path, readOnly: true).statusCounts().values
        .reduce(0, +)) ?? 0 < 10
    {
      usleep(2000)
    }
    kill(first.processIdentifier, SIGKILL)
    first.waitUntilExit()
    second.waitUntilExit()
    let log = try String(contentsOf: secondLog, encoding: .utf8)
    #expect(second.terminationStatus == 0, "\(log)")
    // The survivor took over the killed worker's claims.
    let shared = try ResultsStore(path: path, readOnly: true)
    #expect(try shared.allPoints().count == Self.total)
    #expect(try shared.claimCount() == 0)
  }

  @Test func aFailedRunLeavesNoEmptyFile() throws {
    let folder = try Self.folder()
    // A sweep killed as soon as its file appears leaves a whole, empty
    // results file (never a 0-byte one), which resumes.
    let (process, _) = try EdgeSimProcess.start(
      ["sweep", "spec.yaml", "--db", "early.sqlite", "--jobs", "1"], in: folder
    ).processAndLog
    let early = folder.appendingPathComponent("early.sqlite")
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning, !Self.exists(folder, "early.sqlite"),
      Date() < deadline
    {
      usleep(200)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    let head = try Self.bytes(early)
    #expect(head.count >= 100, "\(head.count) bytes")
    #expect(head.prefix(16) == Data("SQLite format 3\0".utf8))
    #expect(head.count >= 72 && head[68..<72] == Data("EdSm".utf8))
    let (resumed, resumedLog) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "early.sqlite"], in: folder
    ).statusAndError
    #expect(resumed == 0, "\(resumedLog)")

    // A merge that fails on an input leaves no output it made.
    try Data("plain text".utf8).write(
      to: folder.appendingPathComponent("text.sqlite"))
    let (merge, mergeLog) = try EdgeSimProcess.run(
      ["sweep", "merge", "out.sqlite", "early.sqlite", "text.sqlite"],
      in: folder
    ).statusAndError
    #expect(merge == 1, "\(mergeLog)")
    #expect(!Self.exists(folder, "out.sqlite"))
    #expect(!Self.exists(folder, "out.sqlite-wal"))
    // A sweep file with an error makes no results file.
    try Data("models: lenet5\ndevices: systolic-32x32\nbatch: 0\n".utf8)
      .write(to: folder.appendingPathComponent("bad.yaml"))
    let (bad, _) = try EdgeSimProcess.run(
      ["sweep", "bad.yaml", "--db", "bad.sqlite"], in: folder
    ).statusAndError
    #expect(bad == 1)
    #expect(!Self.exists(folder, "bad.sqlite"))
  }
}
