import EdgeSimCommands
import Foundation
import Testing

/// `edgesim inspect PATH --json` as a user runs it: the exit status, the
/// report's `totals` (empty when the command failed) and standard error.
func inspectTotals(_ path: String) async throws -> (
  status: Int32, totals: [String: Any], error: String
) {
  let run = await EdgeSimMain.capture(["inspect", path, "--json"])
  guard run.status == 0 else { return (run.status, [:], run.standardError) }
  let report = try #require(
    JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
      as? [String: Any])
  return (
    run.status, try #require(report["totals"] as? [String: Any]),
    run.standardError
  )
}
