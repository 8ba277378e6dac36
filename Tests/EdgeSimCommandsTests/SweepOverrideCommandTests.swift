import EdgeSimCommands
import Foundation
import ResultsStore
import TestSupport
import Testing

/// Issue #14's two override bugs, through the commands a user runs: a point
/// of `edgesim sweep` with a `bandwidth` or `clock` axis gives the figures
/// `edgesim simulate` gives on the device file edited to the same values.
@Suite struct SweepOverrideCommandTests {
  static let root = EdgeSimProcess.root.path

  /// pynq-z1 states its DRAM at 2.1 GB/s with 75% efficiency and its BRAM
  /// at 800 B/cycle; AlexNet's fully connected layers wait on DRAM.
  static func editedDevice(bandwidth: String, clock: String) throws -> String {
    let text = try String(
      contentsOfFile: "\(root)/Hardware/pynq-z1.yaml", encoding: .utf8)
    #expect(text.contains("bandwidth: 2.1 GB/s"))
    #expect(text.contains("clock: 130 MHz"))
    #expect(text.contains("bandwidth: 800 B/cycle"))
    return
      text
      .replacingOccurrences(
        of: "bandwidth: 2.1 GB/s", with: "bandwidth: \(bandwidth)"
      )
      .replacingOccurrences(of: "clock: 130 MHz", with: "clock: \(clock)")
  }

  static func totals(_ output: String) throws -> (
    latency: Double, energy: Double
  ) {
    let summary = try #require(
      JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    let totals = try #require(summary["totals"] as? [String: Any])
    return (
      try #require(totals["latency_s"] as? Double),
      try #require(totals["energy_j"] as? Double)
    )
  }

  @Test(arguments: [
    ("4 GB/s", "130 MHz"), ("2.1 GB/s", "260 MHz"), ("1 GB/s", "65 MHz"),
  ])
  func sweptPointEqualsEditedDeviceFile(bandwidth: String, clock: String)
    async throws
  {
    let folder = try TemporaryFolder()
    let sweep = folder.path("sweep.yaml")
    try """
    name: overrides
    studies:
      - models: alexnet
        devices: pynq-z1
        hardware:
          bandwidth: \(bandwidth)
          clock: \(clock)
    """.write(toFile: sweep, atomically: true, encoding: .utf8)
    let db = folder.path("results.sqlite")
    let swept = await EdgeSimMain.capture([
      "sweep", sweep, "--db", db, "--jobs", "1",
    ])
    #expect(swept.status == 0, "\(swept.standardError)")
    let store = try ResultsStore(path: db, readOnly: true)
    let rows = try store.allPoints()
    #expect(rows.count == 1)
    let metrics = try #require(rows.first?.metrics)

    let device = folder.path("edited.yaml")
    try Self.editedDevice(bandwidth: bandwidth, clock: clock)
      .write(toFile: device, atomically: true, encoding: .utf8)
    let simulated = await EdgeSimMain.capture([
      "simulate", "--hardware", device, "--model", "alexnet", "--no-trace",
      "--json",
    ])
    #expect(simulated.status == 0, "\(simulated.standardError)")
    let edited = try Self.totals(simulated.standardOutput)
    // summary.json writes 9 significant digits.
    #expect(abs(metrics.latency - edited.latency) <= 1e-8 * edited.latency)
    #expect(abs(metrics.energy - edited.energy) <= 1e-8 * edited.energy)

    // The figures moved: the override is not a no-op.
    let original = await EdgeSimMain.capture([
      "simulate", "--hardware", "pynq-z1", "--model", "alexnet", "--no-trace",
      "--json",
    ])
    #expect(try Self.totals(original.standardOutput).latency != edited.latency)
  }
}
