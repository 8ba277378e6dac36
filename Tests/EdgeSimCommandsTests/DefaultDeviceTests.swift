import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// README's main command (`edgesim simulate`, no options) is the first thing
/// a user sees: it must show transfers against compute, and the trace
/// committed beside README must be what it writes today (issue #18 item 5).
@Suite struct DefaultDeviceTests {
  static let root = EdgeSimProcess.root.path

  private struct Summary: Decodable {
    let device: String
    let layers: [Layer]
    struct Layer: Decodable { let bound: String }
  }

  private struct Trace: Decodable {
    let traceEvents: [Event]
    struct Event: Decodable {
      let ph: String
      let name: String
      let pid: Int?
      let tid: Int?
      let dur: Double?
      let args: Arguments?
    }
    struct Arguments: Decodable { let name: String? }
  }

  /// The default device has a real DRAM interface: some layers wait for
  /// DRAM, and the trace's DMA tracks hold slices of non-zero length.
  @Test func theDefaultRunShowsDRAMTime() async throws {
    let folder = try TemporaryFolder()
    let run = await EdgeSimMain.capture([
      "simulate", "--trace", folder.path("t"),
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let summary = try JSONDecoder().decode(
      Summary.self,
      from: Data(
        contentsOf: URL(fileURLWithPath: folder.path("t/summary.json"))))
    #expect(summary.device == "npu-32x32")
    let dramBound = summary.layers.filter { $0.bound == "dram" }.count
    #expect(dramBound > 0, "no layer of the default run is DRAM-bound")

    let trace = try JSONDecoder().decode(
      Trace.self,
      from: Data(contentsOf: URL(fileURLWithPath: folder.path("t/trace.json"))))
    var tracks: [String: String] = [:]
    for event in trace.traceEvents
    where event.ph == "M" && event.name == "thread_name" {
      tracks["\(event.pid ?? 0)/\(event.tid ?? 0)"] = event.args?.name
    }
    let dmaTime = trace.traceEvents.filter {
      $0.ph == "X"
        && (tracks["\($0.pid ?? 0)/\($0.tid ?? 0)"] ?? "").hasPrefix("dma")
    }.reduce(0.0) { $0 + ($1.dur ?? 0) }
    #expect(dmaTime > 0, "the default trace's DMA tracks are empty")
  }

  /// The committed trace of README's main command is byte for byte what
  /// the command writes now (regenerate: `swift run edgesim simulate`).
  @Test func theCommittedTraceIsCurrent() async throws {
    let folder = try TemporaryFolder()
    let run = await EdgeSimMain.capture([
      "simulate", "--trace", folder.path("t"),
    ])
    #expect(run.status == 0, "\(run.standardError)")
    for file in ["summary.json", "layers.csv", "trace.json"] {
      let fresh = try Data(
        contentsOf: URL(fileURLWithPath: folder.path("t/\(file)")))
      let committed = try Data(
        contentsOf: URL(
          fileURLWithPath: "\(Self.root)/Traces/mobilenet_v2-npu-32x32/\(file)")
      )
      #expect(
        fresh == committed, "Traces/mobilenet_v2-npu-32x32/\(file) is stale")
    }
  }

  /// The SCALE-Sim-compatible device stays, by name, with unlimited DRAM.
  @Test func theScaleSimDeviceKeepsUnlimitedDRAM() async throws {
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", "systolic-32x32", "--no-trace", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let summary = try JSONDecoder().decode(
      Summary.self, from: Data(run.standardOutput.utf8))
    #expect(summary.device == "systolic-32x32")
    #expect(!summary.layers.contains { $0.bound == "dram" })
  }
}
