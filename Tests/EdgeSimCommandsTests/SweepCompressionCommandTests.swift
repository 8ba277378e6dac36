import EdgeSimCommands
import Foundation
import ResultsStore
import TestSupport
import Testing

/// Sweeps over compression with accuracy (issue #17 item 4): each point
/// compresses the model's real weights (COMPRESSION.md), simulates the
/// decoded model with the measured coded bits in DRAM and its weight zeros
/// on a device that skips them, and measures top-1 of the decoded model.
@Suite struct SweepCompressionCommandTests {
  static let root = EdgeSimProcess.root.path
  static let model = "\(root)/Workloads/digits/digits-plain.onnx"
  static let images = "\(root)/Workloads/digits/test-images.npy"
  static let labels = "\(root)/Workloads/digits/test-labels.npy"

  /// The bundled SCALE-Sim array, skipping zero weights.
  static func device(in folder: TemporaryFolder) throws -> String {
    let text = try String(
      contentsOfFile: "\(root)/Hardware/systolic-32x32.yaml", encoding: .utf8)
    #expect(text.contains("  dataflow: os\n"))
    let path = folder.path("skipping.yaml")
    try text.replacingOccurrences(
      of: "  dataflow: os\n", with: "  dataflow: os\n  zeros: {weights: skip}\n"
    ).write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func write(_ text: String, _ name: String, in folder: TemporaryFolder)
    throws -> String
  {
    let path = folder.path(name)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  struct Totals: Decodable {
    let latency: Double
    let energy: Double
    let dramBytes: Int
    enum CodingKeys: String, CodingKey {
      case latency = "latency_s"
      case energy = "energy_j"
      case dramBytes = "dram_bytes"
    }
  }
  struct Summary: Decodable { let totals: Totals }
  struct Run: Decodable { let top1: Double }
  struct Report: Decodable {
    let network: Network
    struct Network: Decodable {
      let storedBits: Int
      let ratio: Double
      enum CodingKeys: String, CodingKey {
        case storedBits = "stored_bits"
        case ratio
      }
    }
  }

  /// A density axis: top-1 does not rise and the stored bits fall as fewer
  /// weights are kept; on Eyeriss (weights from DRAM) the DRAM bytes fall,
  /// on an array that skips zero weights (weights kept on chip) the
  /// latency; and every point equals what `compress`, `simulate
  /// --compression` and `run` give for the same plan, an independent path
  /// through the commands.
  @Test func densityAxisEqualsCompressSimulateAndRun() async throws {
    let folder = try TemporaryFolder()
    let device = try Self.device(in: folder)
    let spec = try Self.write(
      """
      name: densities
      studies:
        - models: \(Self.model)
          devices: [eyeriss-v1, \(device)]
          compression:
            axes:
              - {layers: all, density: [1, 0.5, 0.25]}
          accuracy:
            evaluation: {data: \(Self.images), labels: \(Self.labels)}
      """, "sweep.yaml", in: folder)
    let db = folder.path("r.sqlite")
    let swept = await EdgeSimMain.capture([
      "sweep", spec, "--db", db, "--quiet",
    ])
    #expect(swept.status == 0, "\(swept.standardError)")
    let rows = try ResultsStore(path: db, readOnly: true).allPoints()
    #expect(rows.count == 6)
    for name in ["eyeriss-v1", device] {
      var byDensity: [Double: PointRow] = [:]
      for row in rows where row.device == name {
        let text = try #require(row.compression.split(separator: "=").last)
        byDensity[try #require(Double(text))] = row
      }
      let order = try [1.0, 0.5, 0.25].map {
        try #require(byDensity[$0]?.metrics)
      }
      for (a, b) in zip(order, order.dropFirst()) {
        if name == device {
          #expect(b.latency < a.latency)
        } else {
          // At density 0.5, 36-bit entries (4-bit index, float32 value)
          // still outweigh Eyeriss' 16-bit raw weights: they move raw.
          #expect(b.dramBytes <= a.dramBytes)
        }
        #expect(try #require(b.top1) <= (try #require(a.top1)))
        #expect(try #require(b.storedBits) < (try #require(a.storedBits)))
      }
      #expect(order[2].dramBytes < order[0].dramBytes || name == device)
    }
    for row in rows {
      let metrics = try #require(row.metrics)
      let density = try #require(row.compression.split(separator: "=").last)
      let plan = try Self.write(
        "defaults: {density: \(density)}\n", "plan-\(row.pointID).yaml",
        in: folder)
      let out = folder.path("out-\(row.pointID)")
      let compressed = await EdgeSimMain.capture([
        "compress", "--model", Self.model, "--plan", plan, "--out", out,
        "--json",
      ])
      #expect(compressed.status == 0, "\(compressed.standardError)")
      let report = try JSONDecoder().decode(
        Report.self, from: Data(compressed.standardOutput.utf8))
      #expect(report.network.storedBits == metrics.storedBits)
      #expect(report.network.ratio == metrics.compressionRatio)
      let simulated = await EdgeSimMain.capture([
        "simulate", "--hardware", row.device, "--model",
        "\(out)/compressed.onnx",
        "--compression", "\(out)/coding.yaml", "--no-trace", "--json",
      ])
      #expect(simulated.status == 0, "\(simulated.standardError)")
      let totals = try JSONDecoder().decode(
        Summary.self, from: Data(simulated.standardOutput.utf8)
      ).totals
      // summary.json writes nine significant digits.
      #expect(totals.dramBytes == metrics.dramBytes, "\(row.parameters)")
      #expect(
        abs(totals.latency - metrics.latency) <= 1e-8 * metrics.latency,
        "\(row.parameters)")
      #expect(
        abs(totals.energy - metrics.energy) <= 1e-8 * metrics.energy,
        "\(row.parameters)")
      let ran = await EdgeSimMain.capture([
        "run", "--model", "\(out)/compressed.onnx", "--input", Self.images,
        "--labels", Self.labels, "--json",
      ])
      #expect(ran.status == 0, "\(ran.standardError)")
      let top1 = try JSONDecoder().decode(
        Run.self, from: Data(ran.standardOutput.utf8)
      ).top1
      #expect(top1 == metrics.top1, "\(row.parameters)")
    }
  }
}
