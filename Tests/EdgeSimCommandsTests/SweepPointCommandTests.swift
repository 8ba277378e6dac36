import EdgeSimCommands
import Foundation
import GRDB
import ResultsStore
import TestSupport
import Testing

/// From a sweep point to its trace (issue #18 item 6): the results file
/// records the sweep file, so `simulate --db R --point ID` rebuilds any
/// point with its overrides, precision and batch, and `compare --db` needs
/// no `--sweep`.
@Suite struct SweepPointCommandTests {
  /// A sweep with a hardware axis, a precision axis and a batch, in its
  /// own folder (its model found relative to it).
  static func sweep(in folder: TemporaryFolder) throws -> String {
    let path = folder.path("sweep.yaml")
    try """
    name: points
    studies:
      - models: lenet5
        devices: pynq-z1
        batch: [1, 2]
        precision:
          default_bits: 8
          axes:
            - {layers: all, bits: [8, 16]}
        hardware:
          clock: [100 MHz, 130 MHz]
          bandwidth: 1 GB/s
    """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  private struct Summary: Decodable {
    let totals: Totals
    let batch: Int
    struct Totals: Decodable {
      let latency: Double
      let energy: Double
      enum CodingKeys: String, CodingKey {
        case latency = "latency_s"
        case energy = "energy_j"
      }
    }
  }

  /// Every point of the sweep, rebuilt by `simulate --db --point` with no
  /// sweep file, gives the totals the sweep stored, and its trace lands in
  /// the folder named after the point.
  @Test func everyPointRebuildsToItsStoredTotals() async throws {
    let folder = try TemporaryFolder()
    let spec = try Self.sweep(in: folder)
    let db = folder.path("r.sqlite")
    let swept = await EdgeSimMain.capture([
      "sweep", spec, "--db", db, "--quiet",
    ])
    #expect(swept.status == 0, "\(swept.standardError)")
    // The sweep file may go: the results file holds its text.
    try FileManager.default.removeItem(atPath: spec)
    let rows = try ResultsStore(path: db, readOnly: true).allPoints()
    #expect(rows.count == 8)
    for row in rows {
      let metrics = try #require(row.metrics)
      let run = await EdgeSimMain.capture([
        "simulate", "--db", db, "--point", String(row.pointID.prefix(8)),
        "--trace", folder.path("t-\(row.pointID)"), "--json",
      ])
      #expect(run.status == 0, "\(run.standardError)")
      #expect(!run.standardError.contains("warning"), "\(run.standardError)")
      let summary = try JSONDecoder().decode(
        Summary.self, from: Data(run.standardOutput.utf8))
      #expect(
        abs(summary.totals.latency - metrics.latency)
          <= 1e-8 * metrics.latency, "\(row.parameters)")
      #expect(
        abs(summary.totals.energy - metrics.energy) <= 1e-8 * metrics.energy,
        "\(row.parameters)")
      #expect(row.parameters.contains("batch=\(summary.batch)"))
      #expect(
        FileManager.default.fileExists(
          atPath: folder.path("t-\(row.pointID)/trace.json")))
    }
    // The points differ: the overrides reach the simulation.
    #expect(Set(rows.compactMap { $0.metrics?.latency }).count == 8)
  }

  /// Without --trace, the point's trace goes to
  /// Traces/<model>-<device>-<id>; the table names the point.
  @Test func defaultFolderNamesThePoint() async throws {
    let folder = try TemporaryFolder()
    let spec = try Self.sweep(in: folder)
    let db = folder.path("r.sqlite")
    _ = await EdgeSimMain.capture(["sweep", spec, "--db", db, "--quiet"])
    let row = try #require(
      try ResultsStore(path: db, readOnly: true).allPoints().first)
    let previous = FileManager.default.currentDirectoryPath
    let work = folder.path("work")
    try FileManager.default.createDirectory(
      atPath: work, withIntermediateDirectories: true)
    // The one test here that writes the default folder: it runs the binary
    // in its own working folder.
    let run = try EdgeSimProcess.run(
      ["simulate", "--db", db, "--point", row.pointID],
      in: URL(fileURLWithPath: work))
    #expect(FileManager.default.currentDirectoryPath == previous)
    #expect(run.status == 0, "\(run.standardError)")
    let expected = "Traces/lenet5-pynq-z1-\(row.pointID.prefix(8))"
    #expect(run.standardError.contains("trace written to \(expected)/"))
    #expect(
      FileManager.default.fileExists(atPath: "\(work)/\(expected)/summary.json")
    )
    #expect(run.standardOutput.contains("point \(row.pointID) of \(db)"))
  }

  /// compare --db reads the recorded sweep file; --sweep still overrides.
  @Test func compareNeedsNoSweepFile() async throws {
    let folder = try TemporaryFolder()
    let spec = try Self.sweep(in: folder)
    let db = folder.path("r.sqlite")
    _ = await EdgeSimMain.capture(["sweep", spec, "--db", db, "--quiet"])
    let rows = try ResultsStore(path: db, readOnly: true).allPoints()
    let (a, b) = (rows[0].pointID, rows[1].pointID)
    let recorded = await EdgeSimMain.capture(["compare", "--db", db, a, b])
    #expect(recorded.status == 0, "\(recorded.standardError)")
    #expect(recorded.standardOutput.contains("A: point \(a)"))
    let given = await EdgeSimMain.capture([
      "compare", "--db", db, "--sweep", spec, a, b,
    ])
    #expect(given.standardOutput == recorded.standardOutput)
  }

  /// What cannot be rebuilt is said, with the file and what to do.
  @Test func refusalsAreLocated() async throws {
    let folder = try TemporaryFolder()
    let spec = try Self.sweep(in: folder)
    let db = folder.path("r.sqlite")
    _ = await EdgeSimMain.capture(["sweep", spec, "--db", db, "--quiet"])
    let row = try #require(
      try ResultsStore(path: db, readOnly: true).allPoints().first)

    let mixed = await EdgeSimMain.capture([
      "simulate", "--db", db, "--point", row.pointID, "--hardware", "pynq-z1",
      "--batch", "2",
    ])
    #expect(mixed.status == 2)
    #expect(mixed.standardError.contains("drop --hardware, --batch"))

    let lonely = await EdgeSimMain.capture([
      "simulate", "--point", row.pointID,
    ])
    #expect(lonely.status == 2)
    #expect(lonely.standardError.contains("--point needs --db"))

    let unknown = await EdgeSimMain.capture([
      "simulate", "--db", db, "--point", "ffffffffffff", "--no-trace",
    ])
    #expect(unknown.status == 1)
    #expect(
      unknown.standardError.contains(
        "\(db): error: no point id starts with 'ffffffffffff'"))

    // A results file from before sweep files were recorded.
    let bare = folder.path("bare.sqlite")
    try FileManager.default.copyItem(atPath: db, toPath: bare)
    try await DatabaseQueue(path: bare).write {
      try $0.execute(sql: "DELETE FROM sweep_info WHERE key LIKE 'sweep_%:%'")
    }
    let old = await EdgeSimMain.capture([
      "simulate", "--db", bare, "--point", row.pointID, "--no-trace",
    ])
    #expect(old.status == 1)
    #expect(
      old.standardError.contains(
        "does not record the sweep file its points came from"))
    #expect(old.standardError.contains("--sweep SPEC.yaml"))
    let rescued = await EdgeSimMain.capture([
      "simulate", "--db", bare, "--point", row.pointID, "--sweep", spec,
      "--no-trace",
    ])
    #expect(rescued.status == 0, "\(rescued.standardError)")
  }
}
