import EdgeSimCommands
import Foundation
import Testing

/// Issue #18 item 3: simulate's table can be sorted and cut, shows each
/// layer's share of the time, and sums time and energy by operator type.
@Suite struct SimulateTableTests {
  static let arguments = [
    "simulate", "--hardware", "eyeriss-v1", "--model", "resnet18",
    "--no-trace",
  ]

  /// The layers' times, as the JSON summary states them, by name.
  static func times() async throws -> [String: Double] {
    let json = await EdgeSimMain.capture(arguments + ["--json"])
    let summary = try #require(
      JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8))
        as? [String: Any])
    let layers = try #require(summary["layers"] as? [[String: Any]])
    var times: [String: Double] = [:]
    for layer in layers {
      times[layer["name"] as? String ?? ""] = layer["latency_s"] as? Double
    }
    return times
  }

  @Test func sortedByTimeAndCut() async throws {
    let times = try await Self.times()
    let run = await EdgeSimMain.capture(
      Self.arguments + ["--sort", "time", "--top", "4"])
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n").map(String.init)
    let rows = lines.dropFirst(2).prefix(4)
    let names = rows.map { String($0.split(separator: " ").first ?? "") }
    let expected = times.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
    #expect(names.count == 4)
    for name in names {
      // Each shown layer is among the four longest (ties allowed).
      #expect((times[name] ?? -1) >= expected[3].value, "\(name)")
    }
    #expect(
      lines.contains {
        $0.hasPrefix(
          "… \(times.count - 4) more layers (--top 4 of \(times.count))")
      })
  }

  /// The by-operator shares of time add up to 100% (to rounding).
  @Test func operatorSharesAddUp() async throws {
    let run = await EdgeSimMain.capture(Self.arguments)
    let lines = run.standardOutput.split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init)
    let start = try #require(lines.firstIndex(of: "by operator type"))
    var total = 0.0
    var conv = false
    for line in lines[(start + 3)...] {
      if line.isEmpty { break }
      let cells = line.split(separator: " ")
      // op, layers, time (value unit), time %.
      guard cells.count > 4 else { continue }
      total += Double(cells[4]) ?? 0
      if cells[0] == "Conv" { conv = true }
    }
    #expect(conv)
    #expect(abs(total - 100) < 0.5, "\(total)")
  }
}
