import Foundation
import HardwareModel
import Simulation
import TestSupport
import Testing
import TraceFormats

/// The three trace formats against committed goldens (`Fixtures/golden/`).
///
/// `RECORD_GOLDEN=1` re-records them; a missing golden is written and the test
/// fails, so a new file is never silently accepted.
@Suite struct TraceGoldenTests {
  /// The goldens; a missing one is written and fails the test.
  static let goldens = GoldenFiles("Fixtures/golden", writesMissing: true)

  static func check(
    _ text: String, _ name: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    do {
      try goldens.check(text, against: name, sourceLocation: sourceLocation)
    } catch {
      Issue.record(error, sourceLocation: sourceLocation)
    }
  }

  static func run(_ device: String) throws -> (RunSummary, [TraceEvent]) {
    let device = try #require(Devices.load(device))
    var sink = RecordingTraceSink()
    let outcome = Simulator.run(
      Networks.smallCNN(), on: device, options: SimulationOptions(),
      trace: &sink)
    return (try #require(outcome.summary), sink.events)
  }

  @Test(arguments: ["systolic-32x32", "eyeriss-v1", "pixel3-cpu"])
  func goldens(_ device: String) throws {
    let (summary, events) = try Self.run(device)
    Self.check(SummaryJSON.render(summary), "\(device).summary.json")
    Self.check(LayersCSV.render(summary), "\(device).layers.csv")
    Self.check(
      ChromeTrace.render(summary, events: events), "\(device).trace.json")
  }

  @Test func outputIsDeterministic() throws {
    let (a, ea) = try Self.run("coral-edgetpu-usb")
    let (b, eb) = try Self.run("coral-edgetpu-usb")
    #expect(SummaryJSON.render(a) == SummaryJSON.render(b))
    #expect(
      ChromeTrace.render(a, events: ea) == ChromeTrace.render(b, events: eb))
  }

  @Test func chromeTraceIsValidJSONWithEngineTracks() throws {
    let (summary, events) = try Self.run("pixel3-cpu")
    let text = ChromeTrace.render(summary, events: events)
    let object =
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    let list = try #require(object?["traceEvents"] as? [[String: Any]])
    let tids = Set(list.compactMap { $0["tid"] as? Int })
    #expect(tids.isSuperset(of: [0, 1, 2, 3]))
    #expect(list.allSatisfy { $0["ph"] is String })
    let summaryObject =
      try JSONSerialization.jsonObject(
        with: Data(SummaryJSON.render(summary).utf8)) as? [String: Any]
    #expect(summaryObject?["schema"] as? String == "edgesim.trace/2")
    let csv = LayersCSV.render(summary).split(separator: "\n")
    #expect(csv.count == summary.layers.count + 1)
  }
}
