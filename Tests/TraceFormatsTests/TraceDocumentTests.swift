import Foundation
import HardwareModel
import NetworkGraph
import Simulation
import SpecFormats
import Testing
import TraceFormats

/// ``TraceDocument``: written from a simulated run, read back, and written
/// again to the same bytes; the committed goldens and traces read back.
@Suite struct TraceDocumentTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func bytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: root.appendingPathComponent(path)))
  }

  /// A bundled workload simulated on a bundled device.
  static func run(_ device: String, _ model: String) throws -> (
    RunSummary, [TraceEvent]
  ) {
    let hardware = try #require(
      HardwareLoader.read(
        bytes: try bytes("Hardware/\(device).yaml"), fileName: device
      ).value)
    let network = try #require(
      WorkloadReader.read(
        bytes: try bytes("Workloads/\(model).yaml"), fileName: model
      ).value)
    var sink = RecordingTraceSink()
    let outcome = Simulator.run(
      network, on: hardware, options: SimulationOptions(), trace: &sink)
    return (try #require(outcome.summary), sink.events)
  }

  static func read(_ text: String) throws -> TraceDocument {
    try TraceDocument.read(bytes: Array(text.utf8)).get()
  }

  @Test(arguments: [
    ("systolic-32x32", "lenet5"), ("eyeriss-v1", "alexnet"),
    ("pixel3-cpu", "mobilenet_v2"), ("stm32l4r5", "lenet5"),
  ])
  func roundTripsARealRun(_ device: String, _ model: String) throws {
    let (summary, _) = try Self.run(device, model)
    let written = TraceDocument(summary)
    #expect(written.rendered == SummaryJSON.render(summary))
    let read = try Self.read(written.rendered)
    // The file keeps nine significant digits, so what is read back writes
    // the same bytes and reads back equal.
    #expect(read.rendered == written.rendered)
    #expect(try Self.read(read.rendered) == read)
    #expect(read.layers.count == summary.layers.count)
    #expect(read.layers.map(\.name) == summary.layers.map(\.name))
    #expect(read.layers.map(\.cycles) == summary.layers.map(\.cycles))
    #expect(read.layers.map(\.dramBytes) == summary.layers.map(\.dramBytes))
    #expect(read.layers.map(\.fusedInto) == summary.layers.map(\.fusedInto))
    #expect(read.totals.cycles == summary.totals.cycles)
    #expect(TraceSummary(read).layers.map(\.name) == summary.layers.map(\.name))
    // Figures in memory equal the document's (no rounding before writing).
    #expect(
      written.layers.map(\.latency) == summary.layers.map(\.seconds))
    #expect(TraceSummary(summary) == TraceSummary(written))
  }

  @Test(arguments: ["systolic-32x32", "eyeriss-v1", "pixel3-cpu"])
  func committedGoldensReadBackToTheSameBytes(_ device: String) throws {
    let path = "Tests/SimulationTests/Fixtures/golden/\(device).summary.json"
    let text = String(decoding: try Self.bytes(path), as: UTF8.self)
    #expect(try Self.read(text).rendered == text)
  }

  @Test func bundledTraceReadsBack() throws {
    let text = String(
      decoding: try Self.bytes(
        "Traces/mobilenet_v2-npu-32x32/summary.json"), as: UTF8.self)
    let document = try Self.read(text)
    #expect(document.schema == "edgesim.trace/2")
    #expect(!document.layers.isEmpty)
    #expect(document.rendered == text)
  }

  @Test func absentValuesAreNullOrLeftOut() throws {
    let (summary, _) = try Self.run("systolic-32x32", "lenet5")
    guard case .object(let top) = TraceDocument(summary).json,
      case .array(let layers)? = top["layers"],
      case .object(let first)? = layers.first
    else {
      Issue.record("not an object with layers")
      return
    }
    #expect(top["dram_coding"] == nil)
    #expect(first["dram_coding"] == nil)
    #expect(first["fused_into"] == .null)
  }

  /// Version 2 calls on-chip energy `onchip`, the name every output uses;
  /// a version-1 summary (`on_chip`) reads to the same document.
  @Test func versionOneReadsAsVersionTwo() throws {
    let body = """
      "model":"m","device":"d","batch":1,
      "layers":[{"name":"c1","latency_s":1,"energy":{"mac":1,"KEY":{"glb":0.5,"on_chip":2}}}],
      "totals":{"latency_s":1,"energy":{"mac":1,"KEY":{"glb":0.5,"on_chip":2}}}}
      """
    let one = try Self.read(
      #"{"schema":"edgesim.trace/1","#
        + body.replacingOccurrences(of: "KEY", with: "on_chip"))
    let two = try Self.read(
      #"{"schema":"edgesim.trace/2","#
        + body.replacingOccurrences(of: "KEY", with: "onchip"))
    #expect(one == two)
    #expect(one.schema == "edgesim.trace/2")
    // A level's own name is left alone, even "on_chip".
    #expect(one.layers.first?.energy.onChip["on_chip"] == 2)
    #expect(one.totals.energy.onChip["glb"] == 0.5)
    // Written back, it says onchip.
    #expect(one.rendered.contains(#""onchip":{"#))
    #expect(!one.rendered.contains(#""on_chip":{"glb""#))
  }

  @Test func smallerAndOlderSummariesRead() throws {
    let text = """
      {"schema":"edgesim.trace/1","model":"m","device":"d","batch":1,
      "layers":[{"name":"c1","latency_s":1,"bound":"dram","utilization":1,
      "roofline":{"arithmetic_intensity":1,"bandwidth_bytes_per_s":null},
      "energy":{"mac":1,"on_chip":{"glb":0.5}}}],
      "totals":{"latency_s":1,"energy":{"mac":1}}}
      """
    let document = try Self.read(text)
    let layer = try #require(document.layers.first)
    #expect(layer.name == "c1")
    #expect(layer.op == "")
    #expect(layer.cycles == 0)
    #expect(layer.limit == "dram")
    #expect(layer.fusedInto == nil)
    #expect(layer.roofline.bandwidth == nil)
    // 1 and 0 are numbers, not booleans (the untyped reader this replaces
    // read them as missing on Linux).
    #expect(layer.latency == 1)
    #expect(layer.utilization == 1)
    #expect(layer.roofline.arithmeticIntensity == 1)
    #expect(layer.energy.onChip["glb"] == 0.5)
    #expect(document.peakMACsPerSecond == 0)
    let summary = TraceSummary(document)
    #expect(
      summary.layers.first?.energy.map(\.component) == [
        "mac", "ops", "dram", "onchip:glb", "static",
      ])
  }

  @Test(arguments: [
    ("[1]", "not a JSON object"), ("not json", "not a JSON object"),
    (#"{"schema":"other"}"#, "the schema is 'other', not 'edgesim.trace/2'"),
    (#"{"totals":{}}"#, "the schema is missing, not 'edgesim.trace/2'"),
    (#"{"schema":"edgesim.trace/1"}"#, "'totals' or 'layers' is missing"),
    (
      #"{"schema":"edgesim.trace/1","totals":{},"layers":[{"name":"x"}]}"#,
      "layer 0 lacks a name, latency_s or energy"
    ),
    (
      #"{"schema":"edgesim.trace/1","totals":{"energy":{}},"layers":[]}"#,
      "'totals' lacks latency_s or energy"
    ),
    (
      #"{"schema":"edgesim.trace/1","totals":{"latency_s":1,"energy":{}},"layers":[],"batch":"two"}"#,
      "not a trace summary: batch: expected an integer"
    ),
  ])
  func refusesWhatIsNotATrace(_ text: String, _ message: String) {
    guard case .failure(let error) = TraceDocument.read(bytes: Array(text.utf8))
    else {
      Issue.record("read \(text)")
      return
    }
    #expect(error.message == message)
  }

  @Test func layersCSVHasOneColumnListForHeaderAndRows() throws {
    let (summary, _) = try Self.run("eyeriss-v1", "lenet5")
    let lines = LayersCSV.render(summary).split(separator: "\n")
    let levels = summary.layers.first?.energy.onChip.map(\.level) ?? []
    let columns = LayerRecord.csvColumns(levels: levels)
    #expect(lines.count == summary.layers.count + 1)
    #expect(
      lines.first.map(String.init)
        == columns.map(\.header).joined(separator: ","))
    #expect(
      columns.map(\.header).contains("energy_onchip_\(levels.first ?? "")_j"))
  }

  @Test func chromeTraceSlicesReadBack() throws {
    let (summary, events) = try Self.run("systolic-32x32", "lenet5")
    let text = ChromeTrace.render(summary, events: events)
    let slices = try #require(ChromeTrace.engineSlices(Array(text.utf8)))
    #expect(slices.count == events.count)
    #expect(slices.map(\.layer) == events.map(\.layer))
    #expect(slices.map(\.engine) == events.map(\.engine))
    #expect(slices.map(\.tiles) == events.map { max($0.tiles, 1) })
    #expect(ChromeTrace.engineSlices(Array("[]".utf8)) == nil)
  }
}
