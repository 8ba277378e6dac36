import Foundation
import TestSupport
import Testing

/// Issue #18 item 4: trace.json's times are whole nanoseconds, so a viewer
/// that reads them to the nanosecond (Perfetto) sees no slice overlap the
/// next on its track, and drops none.
@Suite struct PerfettoTimestampTests {
  /// Every slice's `ts` and `dur`, as Perfetto reads them: microseconds
  /// times 1000, rounded (current importer) or truncated (older ones).
  @Test(arguments: ["alexnet", "vgg16-svd", "mobilenet_v2"])
  func noSliceOverlapsTheNextOnItsTrack(model: String) throws {
    let folder = try RunSupport.temporaryFolder("perfetto-\(model)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let trace = folder.appendingPathComponent("t").path
    let run = try EdgeSimProcess.run([
      "simulate", "--hardware", "pynq-z1", "--model", model, "--trace", trace,
    ])
    #expect(run.status == 0, "\(run.standardError)")
    // Decoded with JSONDecoder, which reads a number's text exactly.
    struct File: Decodable {
      struct Event: Decodable {
        var ph: String
        var tid: Int?
        var ts: Double?
        var dur: Double?
      }
      var traceEvents: [Event]
      var displayTimeUnit: String?
    }
    let file = try JSONDecoder().decode(
      File.self,
      from: Data(contentsOf: URL(fileURLWithPath: trace + "/trace.json")))
    // Perfetto takes displayTimeUnit as the unit of `ts`: absent, `ts` is
    // microseconds as the format defines.
    #expect(file.displayTimeUnit == nil)
    var byTrack: [Int: [(ts: Double, dur: Double)]] = [:]
    for event in file.traceEvents where event.ph == "X" {
      let ts = try #require(event.ts)
      let dur = try #require(event.dur)
      for value in [ts, dur] {
        #expect(abs(value * 1000 - (value * 1000).rounded()) < 1e-6)
      }
      byTrack[event.tid ?? -1, default: []].append((ts, dur))
    }
    #expect(byTrack.count == 4)
    var slices = 0
    for (_, track) in byTrack {
      let sorted = track.sorted { $0.ts < $1.ts }
      slices += sorted.count
      for read in [
        { (x: Double) in Int((x * 1000).rounded()) },
        { (x: Double) in Int(x * 1000) },
      ] {
        for (a, b) in zip(sorted, sorted.dropFirst()) {
          #expect(read(a.ts) + read(a.dur) <= read(b.ts) + 0)
        }
      }
    }
    #expect(slices > 20)
  }
}
