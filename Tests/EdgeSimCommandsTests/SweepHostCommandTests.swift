import EdgeSimCommands
import Foundation
import ResultsStore
import TestSupport
import Testing

/// A sweep over an accelerator that leaves a model's tail to its host
/// (`host:` in the device file) times that tail on the host as `simulate`
/// does, instead of failing the point.
@Suite struct SweepHostCommandTests {
  private struct Summary: Decodable {
    let totals: Totals
    struct Totals: Decodable {
      let latency: Double
      enum CodingKeys: String, CodingKey { case latency = "latency_s" }
    }
  }

  @Test func aSweepPointRunsTheHostsLayersAsSimulateDoes() async throws {
    let folder = try TemporaryFolder()
    let spec = folder.path("sweep.yaml")
    try """
    name: host
    studies:
      - models: deeplab_v3_513
        devices: coral-edgetpu-usb
        precision:
          default_bits: 8
    """.write(toFile: spec, atomically: true, encoding: .utf8)
    let db = folder.path("r.sqlite")
    let swept = await EdgeSimMain.capture([
      "sweep", spec, "--db", db, "--quiet",
    ])
    #expect(swept.status == 0, "\(swept.standardError)")
    let rows = try ResultsStore(path: db, readOnly: true).allPoints()
    #expect(rows.count == 1)
    let metrics = try #require(rows.first?.metrics)

    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", "coral-edgetpu-usb", "--model",
      "deeplab_v3_513", "--precision", "int8", "--no-trace", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput.contains("\"host\""))
    let summary = try JSONDecoder().decode(
      Summary.self, from: Data(run.standardOutput.utf8))
    #expect(
      abs(summary.totals.latency - metrics.latency)
        <= 1e-8 * metrics.latency,
      "sweep \(metrics.latency) s, simulate \(summary.totals.latency) s")
  }
}
