import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// Activations too large for the on-chip level stay there in bands of rows
/// where the level declares `row_bands` (issue #15; Simulator.md, "Row
/// bands"), through the front door, in-process.
@Suite struct RowBandsCommandTests {
  static let root = EdgeSimProcess.root.path

  /// A small weight-stationary NPU behind a slow link, with one shared
  /// SRAM of `sram` (48 KiB by default); `bands` is the SRAM's `row_bands` (absent when `nil`),
  /// `linkBands` puts `row_bands: true` on the link instead.
  static func device(
    bands: Bool?, sram: String = "48 KiB", linkBands: Bool = false
  ) -> String {
    let flag = bands.map { ", row_bands: \($0)" } ?? ""
    return """
      name: banded
      kind: npu
      description: test device for row bands
      technology: 28 nm
      clock: 500 MHz
      compute:
        array: {rows: 16, columns: 16}
        dataflow: ws
        macs_per_cycle: {int8: 1}
        mac_energy: {int8: 0.6 pJ}
      memory:
        - {name: usb, kind: link, bandwidth: 400 MB/s, energy: 50 pJ/bit\(linkBands ? ", row_bands: true" : "")}
        - {name: sram, kind: sram, size: \(sram), read_bandwidth: 128 B/cycle, write_bandwidth: 64 B/cycle, energy: 0.3 pJ/bit, double_buffered: true\(flag)}
      power: {static: 0.1 W}
      source: ["test"]

      """
  }

  /// Two 64×64×16 int8 maps (64 KiB each, larger than the SRAM) between
  /// 3×3 convolutions; the network's output is 32×32×8.
  static let chain = """
    name: chain
    input: {name: input, shape: [1, 3, 64, 64]}
    layers:
      - {name: a, op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}
      - {name: b, op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}
      - {name: c, op: conv, filters: 8, kernel: 3, stride: 2, padding: 1}
    """

  /// The same first map read whole by a dense layer (after a flatten).
  static let dense = """
    name: dense
    input: {name: input, shape: [1, 3, 64, 64]}
    layers:
      - {name: a, op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}
      - {name: flat, op: flatten}
      - {name: fc, op: fc, units: 10}
    """

  struct Run {
    var latency: Double
    var written: Int
    var layers: [[String: Any]]
  }

  static func simulate(_ device: String, _ network: String) async throws
    -> Run
  {
    let folder = try TemporaryFolder()
    let hardware = folder.path("device.yaml")
    try device.write(toFile: hardware, atomically: true, encoding: .utf8)
    let model = folder.path("model.yaml")
    try network.write(toFile: model, atomically: true, encoding: .utf8)
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", hardware, "--model", model, "--no-trace",
      "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any])
    let totals = try #require(json["totals"] as? [String: Any])
    return Run(
      latency: try #require(totals["latency_s"] as? Double),
      written: try #require(totals["dram_bytes_written"] as? Int),
      layers: try #require(json["layers"] as? [[String: Any]]))
  }

  static func mapping(_ run: Run, _ layer: String) -> String {
    run.layers.first { $0["name"] as? String == layer }?["mapping"] as? String
      ?? ""
  }

  /// Without row bands both 64 KiB maps cross the link twice; with them
  /// only the network's output leaves the chip, the maps stay in bands,
  /// and the run is faster.
  @Test func largeMapsStayOnChipInRowBands() async throws {
    let spilled = try await Self.simulate(Self.device(bands: nil), Self.chain)
    let banded = try await Self.simulate(Self.device(bands: true), Self.chain)
    #expect(spilled.written >= 2 * 65_536, "\(spilled.written)")
    #expect(banded.written == 32 * 32 * 8, "\(banded.written)")
    #expect(banded.latency < spilled.latency)
    #expect(Self.mapping(banded, "a").contains("row bands on chip"))
    #expect(Self.mapping(banded, "b").contains("row bands on chip"))
    #expect(!Self.mapping(banded, "c").contains("row bands"))
    #expect(!Self.mapping(spilled, "a").contains("row bands"))
    // `row_bands: false` is the default.
    let off = try await Self.simulate(Self.device(bands: false), Self.chain)
    #expect(off.written == spilled.written)
  }

  /// The recomputed halo costs time: the same chain on an SRAM large
  /// enough to keep both maps whole has the same traffic and fewer cycles
  /// in the banded layers.
  @Test func theHaloIsRecomputed() async throws {
    let banded = try await Self.simulate(Self.device(bands: true), Self.chain)
    let whole = try await Self.simulate(
      Self.device(bands: true, sram: "4 MiB"), Self.chain)
    #expect(whole.written == banded.written)
    #expect(!Self.mapping(whole, "a").contains("row bands"))
    func cycles(_ run: Run, _ name: String) -> Int {
      run.layers.first { $0["name"] as? String == name }?["cycles"] as? Int
        ?? 0
    }
    // b's output is read by c (3 rows, stride 2: one row of overlap);
    // a's by b (one 3-row window, stride 1: two rows).
    #expect(cycles(banded, "a") > cycles(whole, "a"))
  }

  /// A map that a dense layer reads whole cannot be banded: it is spilled
  /// as before.
  @Test func aMapReadWholeIsSpilled() async throws {
    let banded = try await Self.simulate(Self.device(bands: true), Self.dense)
    #expect(!Self.mapping(banded, "a").contains("row bands"))
    #expect(banded.written >= 65_536, "\(banded.written)")
  }

  /// The bundled Edge TPU keeps PoseNet 721×1281's 361×641 maps on chip:
  /// the depthwise and pointwise layers at that size write in row bands,
  /// nothing but the network's output crosses USB towards the host, and
  /// the run is within 40% of Coral's 32.4 ms (it was 111.8 ms, +245%, with
  /// the maps spilled; held-out.csv:11, Validation.md).
  @Test func theEdgeTPUKeepsPoseNetsLargeMapsOnChip() async throws {
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", "coral-edgetpu-usb", "--model",
      "\(Self.root)/Workloads/posenet_mobilenet_v1_075_721_1281.yaml",
      "--no-trace", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any])
    let totals = try #require(json["totals"] as? [String: Any])
    let layers = try #require(json["layers"] as? [[String: Any]])
    let result = Run(
      latency: try #require(totals["latency_s"] as? Double),
      written: try #require(totals["dram_bytes_written"] as? Int),
      layers: layers)
    for name in ["dw1", "pw1", "dw3"] {
      #expect(
        Self.mapping(result, name).contains("row bands on chip"), "\(name)")
    }
    // Only the network's output (a layer list's output is its last layer,
    // the backward displacements: 46×81 positions × 32) is written.
    #expect(result.written == 46 * 81 * 32, "\(result.written)")
    #expect(abs(result.latency / 32.4e-3 - 1) < 0.4, "\(result.latency)")
  }

  /// `row_bands` on an off-chip level is an error at its key.
  @Test func rowBandsOffChipIsLocated() async throws {
    let folder = try TemporaryFolder()
    let text = Self.device(bands: nil, linkBands: true)
    let path = folder.path("bad.yaml")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", path, "--model", "lenet5", "--no-trace",
    ])
    #expect(run.status == 1)
    let line =
      (text.split(separator: "\n", omittingEmptySubsequences: false)
        .firstIndex { $0.contains("name: usb") } ?? -1) + 1
    #expect(
      run.standardError.contains("bad.yaml:\(line):"), "\(run.standardError)")
    #expect(
      run.standardError.contains("'row_bands' applies to an on-chip level"))
  }
}
