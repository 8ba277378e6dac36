import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// Issue #18 item 10: a sweep whose standard error is a log shows progress
/// lines; `--quiet` and `--json` for scripts.
@Suite struct SweepProgressCommandTests {
  static func sweep(in folder: TemporaryFolder) throws -> String {
    let sweep = folder.path("sweep.yaml")
    try """
    name: sides
    studies:
      - models: lenet5
        devices: systolic-32x32
        hardware:
          array_size: 8..32 by 8
    """.write(toFile: sweep, atomically: true, encoding: .utf8)
    return sweep
  }

  /// Not on a terminal: plain progress lines, the last at 4/4 points.
  @Test func logsGetProgressLines() async throws {
    let folder = try TemporaryFolder()
    let run = await EdgeSimMain.capture([
      "sweep", try Self.sweep(in: folder), "--db", folder.path("r.sqlite"),
      "--progress-every", "0.1", "--jobs", "1",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardError.split(separator: "\n")
    let progress = lines.filter { $0.hasPrefix("progress: ") }
    #expect(progress.last?.hasPrefix("progress: 4/4 points (100.0%)") == true)
    #expect(!run.standardError.contains("\r"))
    #expect(lines.last?.contains("sides: 4 points") == true)
  }

  /// --quiet prints nothing; --json prints the summary as an object.
  @Test func quietAndJSON() async throws {
    let folder = try TemporaryFolder()
    let sweep = try Self.sweep(in: folder)
    let quiet = await EdgeSimMain.capture([
      "sweep", sweep, "--db", folder.path("q.sqlite"), "--quiet",
    ])
    #expect(quiet.status == 0)
    #expect(quiet.standardError.isEmpty)
    #expect(quiet.standardOutput.isEmpty)
    let json = await EdgeSimMain.capture([
      "sweep", sweep, "--db", folder.path("j.sqlite"), "--json", "--quiet",
    ])
    #expect(json.status == 0)
    let object = try #require(
      JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8))
        as? [String: Any])
    #expect(object["points"] as? Int == 4)
    #expect(object["done"] as? Int == 4)
    #expect(object["sweep"] as? String == "sides")
  }
}
