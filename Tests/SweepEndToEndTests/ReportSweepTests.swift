import Foundation
import ResultsStore
import TestSupport
import Testing

/// `edgesim report` of a results file: the page, every column of `points`
/// as CSV, and an empty sweep refused.
@Suite struct ReportSweepTests {
  @Test func reportsASweepAndItsPoints() throws {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    let model = """
      name: tiny
      input: {name: input, shape: [1, 4, 8, 8]}
      layers:
        - {name: conv1, op: conv, filters: 4, kernel: 3, padding: 1}
      """
    let spec = """
      name: arrays
      models: tiny.yaml
      devices: systolic-32x32
      hardware:
        array_size: 4..16 by 4
      """
    try Data(model.utf8).write(to: folder.appendingPathComponent("tiny.yaml"))
    try Data(spec.utf8).write(to: folder.appendingPathComponent("spec.yaml"))
    let (status, log) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "r.sqlite"], in: folder
    ).statusAndError
    #expect(status == 0, "\(log)")
    let (reportStatus, reportLog) = try EdgeSimProcess.run(
      ["report", "r.sqlite", "--html", "r.html", "--csv", "points.csv"],
      in: folder
    ).statusAndError
    #expect(reportStatus == 0, "\(reportLog)")
    let page = try String(
      contentsOf: folder.appendingPathComponent("r.html"), encoding: .utf8)
    #expect(page.contains("<h1>Sweep arrays</h1>"))
    #expect(page.contains("4 completed points"))
    let lines = try String(
      contentsOf: folder.appendingPathComponent("points.csv"), encoding: .utf8
    )
    .split(separator: "\n")
    #expect(
      lines.first.map(String.init)
        == ResultsSchema.pointColumns.joined(separator: ","))
    #expect(lines.count == 5)
  }

  @Test func anEmptySweepIsRefused() throws {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    _ = try ResultsStore(path: folder.appendingPathComponent("e.sqlite").path)
    let (status, log) = try EdgeSimProcess.run(
      ["report", "e.sqlite", "--html", "e.html"], in: folder
    ).statusAndError
    #expect(status == 1)
    #expect(
      log.contains("e.sqlite: error: the results file has no points"), "\(log)")
    #expect(
      !FileManager.default.fileExists(
        atPath: folder.appendingPathComponent("e.html").path))
  }
}
