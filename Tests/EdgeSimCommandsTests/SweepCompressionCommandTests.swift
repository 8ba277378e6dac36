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

  /// Low rank with a precision axis on the layer it splits, sharing and
  /// ternary: every point is done, `simulate --db --point` rebuilds each to
  /// its stored totals, and `compare --db` compares two of them.
  @Test func compressedPointsRebuildAndCompare() async throws {
    let folder = try TemporaryFolder()
    let spec = try Self.write(
      """
      name: rebuild
      studies:
        - models: \(Self.model)
          devices: pynq-z1
          precision:
            axes:
              - {layers: /fc/Gemm, bits: 6}
          compression:
            axes:
              - {layers: /fc/Gemm, rank: [none, 4]}
              - {layers: /conv2/Conv, ternary: [none, twn]}
              - {layers: all, cluster_bits: [none, 4]}
          accuracy:
            evaluation: {data: \(Self.images), labels: \(Self.labels), samples: 100..299}
            calibration: {samples: 0..99}
      """, "sweep.yaml", in: folder)
    let db = folder.path("r.sqlite")
    let swept = await EdgeSimMain.capture([
      "sweep", spec, "--db", db, "--quiet",
    ])
    #expect(swept.status == 0, "\(swept.standardError)")
    let rows = try ResultsStore(path: db, readOnly: true).allPoints()
    #expect(rows.count == 8)
    #expect(rows.allSatisfy { $0.status == "done" }, "\(rows.map(\.reason))")
    // Low rank on the Gemm saves bits; the precision axis reaches both
    // halves (6-bit weights there lower top-1 or leave it, never error).
    let ratios = rows.compactMap { $0.metrics?.compressionRatio }
    #expect(ratios.count == 8 && ratios.allSatisfy { $0 >= 1 })
    #expect(ratios.filter { $0 > 1 }.count == 7)
    #expect(Set(rows.compactMap { $0.metrics?.top1 }).count > 1)
    for row in rows.prefix(3) + rows.suffix(2) {
      let metrics = try #require(row.metrics)
      let run = await EdgeSimMain.capture([
        "simulate", "--db", db, "--point", row.pointID, "--no-trace", "--json",
      ])
      #expect(run.status == 0, "\(run.standardError)")
      #expect(!run.standardError.contains("warning"), "\(run.standardError)")
      let totals = try JSONDecoder().decode(
        Summary.self, from: Data(run.standardOutput.utf8)
      ).totals
      #expect(totals.dramBytes == metrics.dramBytes, "\(row.parameters)")
      #expect(
        abs(totals.energy - metrics.energy) <= 1e-8 * metrics.energy,
        "\(row.parameters)")
    }
    let factored = try #require(
      rows.first { $0.compression.contains("/fc/Gemm/rank=4") })
    let compared = await EdgeSimMain.capture([
      "compare", "--db", db, rows[0].pointID, factored.pointID,
    ])
    #expect(compared.status == 0, "\(compared.standardError)")
    #expect(compared.standardOutput.contains("/fc/Gemm_a"))
  }

  /// The energy-aware search chooses density and cluster bits per layer
  /// with bits under the accuracy budget: the chosen point keeps top-1
  /// within it and uses less energy than the start (every axis at its
  /// least compression, most bits).
  @Test func searchChoosesCompressionUnderTheBudget() async throws {
    let folder = try TemporaryFolder()
    let spec = try Self.write(
      """
      name: search
      strategy: {search: {objective: energy, max_accuracy_drop: 2.0}}
      studies:
        - models: \(Self.model)
          devices: eyeriss-v1
          precision:
            axes:
              - {layers: all, bits: [16, 8]}
          compression:
            axes:
              - {layers: /fc/Gemm, density: [1, 0.5, 0.2]}
              - {layers: /fc/Gemm, cluster_bits: [none, 6, 3]}
              - {layers: /conv2/Conv, density: [1, 0.5]}
          accuracy:
            evaluation: {data: \(Self.images), labels: \(Self.labels), samples: 100..249}
            calibration: {samples: 0..99}
      """, "sweep.yaml", in: folder)
    let db = folder.path("r.sqlite")
    let swept = await EdgeSimMain.capture(["sweep", spec, "--db", db])
    #expect(swept.status == 0, "\(swept.standardError)")
    let store = try ResultsStore(path: db, readOnly: true)
    let chosen = try #require(try store.chosenPoints().first)
    let point = try #require(try store.point(chosen.pointID))
    let start = try #require(try store.point(chosen.startPointID))
    let (c, s) = (try #require(point.metrics), try #require(start.metrics))
    #expect(start.compression.contains("/fc/Gemm/density=1;"))
    #expect(!point.compression.isEmpty, "\(chosen.steps)")
    #expect(c.energy < s.energy)
    #expect(try #require(c.top1) >= chosen.floatTop1 - 0.02)
    #expect(chosen.steps.contains("/fc/Gemm/"), "\(chosen.steps)")
    // Every stored step names an axis the sweep has.
    for step in chosen.steps.split(separator: ";") {
      let axis = step.split(separator: "=").first.map(String.init) ?? ""
      #expect(
        [
          "all", "/fc/Gemm/density", "/fc/Gemm/cluster_bits",
          "/conv2/Conv/density",
        ].contains(axis), "\(step)")
    }
  }

  /// Bad compression axes are located errors before anything runs; a
  /// point whose settings clash in one layer fails with the plan's reason.
  @Test func badAxesAreLocatedErrors() async throws {
    let folder = try TemporaryFolder()
    let cases: [(String, String)] = [
      ("{layers: all, density: 0}", "sweep.yaml:5:37: error: 'density' is 0"),
      (
        "{layers: all, cluster_bits: 9}",
        "sweep.yaml:5:42: error: 'cluster_bits' has 9"
      ),
      ("{layers: all, density: 1, rank: 2}", "varies one key"),
      ("{layers: all, energy: twn}", "'twn' is a ternary threshold"),
      ("{layers: /fc/Gemn, density: 0.5}", "has no layer '/fc/Gemn'"),
    ]
    for (index, (axis, message)) in cases.enumerated() {
      let spec = try Self.write(
        """
        studies:
          - models: \(Self.model)
            devices: pynq-z1
            compression:
              axes: [\(axis)]
        """, "sweep.yaml", in: folder)
      let db = folder.path("bad-\(index).sqlite")
      let run = await EdgeSimMain.capture(["sweep", spec, "--db", db])
      #expect(run.status != 0, "\(axis)")
      #expect(run.standardError.contains(message), "\(run.standardError)")
      #expect(!FileManager.default.fileExists(atPath: db), "\(axis)")
    }
    // A rank above the layer's size is the plan's error: the point fails.
    let tooHigh = try Self.write(
      """
      studies:
        - models: \(Self.model)
          devices: pynq-z1
          compression:
            axes:
              - {layers: /fc/Gemm, rank: 300}
      """, "rank.yaml", in: folder)
    let db = folder.path("rank.sqlite")
    _ = await EdgeSimMain.capture(["sweep", tooHigh, "--db", db, "--quiet"])
    let row = try #require(
      try ResultsStore(path: db, readOnly: true).allPoints().first)
    #expect(row.status == "failed")
    #expect(
      row.reason?.contains("compression plan") == true, "\(row.reason ?? "")")
  }

  /// Ternary and sharing exclude each other in a layer: the later axis
  /// wins, as a later precision axis does, and the point is the plan with
  /// that key alone.
  @Test func laterAxisWinsBetweenTernaryAndSharing() async throws {
    let folder = try TemporaryFolder()
    let spec = try Self.write(
      """
      studies:
        - models: \(Self.model)
          devices: pynq-z1
          compression:
            axes:
              - {layers: /fc/Gemm, ternary: 0.05}
              - {layers: /fc/Gemm, cluster_bits: 4}
      """, "sweep.yaml", in: folder)
    let db = folder.path("r.sqlite")
    let swept = await EdgeSimMain.capture([
      "sweep", spec, "--db", db, "--quiet",
    ])
    #expect(swept.status == 0, "\(swept.standardError)")
    let row = try #require(
      try ResultsStore(path: db, readOnly: true).allPoints().first)
    let plan = try Self.write(
      "layers:\n  /fc/Gemm: {cluster_bits: 4}\n", "plan.yaml", in: folder)
    let compressed = await EdgeSimMain.capture([
      "compress", "--model", Self.model, "--plan", plan, "--out",
      folder.path("out"), "--json",
    ])
    #expect(compressed.status == 0, "\(compressed.standardError)")
    let report = try JSONDecoder().decode(
      Report.self, from: Data(compressed.standardOutput.utf8))
    #expect(row.metrics?.storedBits == report.network.storedBits)
  }
}
