import Foundation
import Simulation

/// Chrome trace-event JSON (`trace.json`) that opens in Perfetto and
/// `chrome://tracing`.
///
/// One process (the device) with four tracks: `layers` (one slice per
/// layer, with its bound, cycles, energy and whether its output stays on
/// chip in `args`), `dma in`, `compute` and `dma out` (one slice per tile or
/// tile group, from the ``TraceEvent``s). Two counters per layer: the
/// backing-store bandwidth the layer drew (GB/s) and its on-chip buffer
/// footprint (bytes). Times are microseconds (`ts`, `dur`), as the format
/// requires; events are in time order per track. Format: "Trace Event
/// Format", Google (the `X`, `M` and `C` phases).
public enum ChromeTrace {
  /// Renders the trace, newline-terminated.
  ///
  /// - Parameters:
  ///   - summary: The run.
  ///   - events: The events a ``RecordingTraceSink`` collected.
  /// - Returns: The JSON text.
  public static func render(_ summary: RunSummary, events: [TraceEvent])
    -> String
  {
    var out: [JSONValue] = [
      meta(
        "process_name", tid: 0, name: "\(summary.device) · \(summary.model)"),
      meta("thread_name", tid: 0, name: "layers"),
      meta("thread_name", tid: 1, name: "dma in"),
      meta("thread_name", tid: 2, name: "compute"),
      meta("thread_name", tid: 3, name: "dma out"),
    ]
    let document = TraceDocument(summary)
    var tracks = [Int: TrackClock]()
    for l in document.layers where l.latency > 0 {
      let (ts, dur) = tracks[0, default: TrackClock()].place(
        start: l.start, duration: l.latency)
      out.append(
        .object([
          "ph": .string("X"), "pid": .int(1), "tid": .int(0),
          "name": .string(l.name),
          "cat": .string(l.op), "ts": ts, "dur": dur,
          "args": .object([
            "op": .string(l.op), "cycles": .int(l.cycles),
            "bound": .string(l.limit),
            "energy_j": .number(l.energyJoules),
            "dram_bytes": .int(l.dramBytes),
            "output_on_chip": .bool(l.outputOnChip),
            "tiles": .int(l.tiles),
            "mapping": .string(l.mapping),
          ]),
        ]))
      let bandwidth = Double(l.dramBytes) / l.latency / 1e9
      out.append(
        counter("dram bandwidth (GB/s)", at: l.start, value: bandwidth))
      out.append(
        counter(
          "buffer occupancy (bytes)", at: l.start,
          value: Double(l.bufferBytes)))
    }
    if let last = document.layers.last {
      let end = last.start + last.latency
      out.append(counter("dram bandwidth (GB/s)", at: end, value: 0))
      out.append(counter("buffer occupancy (bytes)", at: end, value: 0))
    }
    for e in events {
      let tid: Int
      switch e.engine {
      case .dmaIn: tid = 1
      case .compute: tid = 2
      case .dmaOut: tid = 3
      }
      let (ts, dur) = tracks[tid, default: TrackClock()].place(
        start: e.start, duration: e.duration)
      out.append(
        .object([
          "ph": .string("X"), "pid": .int(1), "tid": .int(tid),
          "name": .string(
            e.tiles > 1
              ? "\(e.layer) [\(e.tile)…\(e.tile + e.tiles - 1)]"
              : "\(e.layer) [\(e.tile)]"),
          "cat": .string(e.engine.rawValue), "ts": ts, "dur": dur,
          "args": .object([
            "layer": .string(e.layer), "first_tile": .int(e.tile),
            "tiles": .int(e.tiles),
            (e.engine == .compute ? "macs" : "bytes"): .int(e.amount),
          ]),
        ]))
    }
    let root = JSONValue.object([
      "traceEvents": .array(out),
      "otherData": .object([
        "schema": .string(TraceDocument.schema),
        "precision": .string(summary.precision),
      ]),
    ])
    return root.rendered + "\n"
  }

  /// A time in whole nanoseconds, rounded.
  static func nanoseconds(_ seconds: Double) -> Int {
    Int(saturating: (seconds * 1e9).rounded())
  }

  /// Whole nanoseconds as the format's microseconds: the least `Double`
  /// at or above `n`/1000, so that a viewer reading `ts × 1000` to the
  /// nanosecond gets `n` back whether it rounds (Perfetto today) or
  /// truncates (older importers).
  static func microseconds(_ nanoseconds: Int) -> JSONValue {
    let n = Double(nanoseconds)
    var value = n / 1000
    if (-n).addingProduct(value, 1000) < 0 { value = value.nextUp }
    return .exact(value)
  }

  /// The slices of one track in whole nanoseconds, in time order: each
  /// starts no earlier than the previous one ends (the simulator's times,
  /// sums of floating-point seconds, can disagree by a few nanoseconds at a
  /// layer boundary; a viewer drops a slice that overlaps another).
  struct TrackClock {
    /// Where the last slice placed ends, in nanoseconds.
    var end = 0

    /// The slice's `ts` and `dur`.
    mutating func place(start: Double, duration: Double) -> (
      ts: JSONValue, dur: JSONValue
    ) {
      let first = max(nanoseconds(start), end)
      let last = max(nanoseconds(start + duration), first)
      end = last
      return (microseconds(first), microseconds(last - first))
    }
  }

  /// A time as the format's microseconds (counters).
  static func time(_ seconds: Double) -> JSONValue {
    microseconds(nanoseconds(seconds))
  }

  static func meta(_ kind: String, tid: Int, name: String) -> JSONValue {
    .object([
      "ph": .string("M"), "pid": .int(1), "tid": .int(tid),
      "name": .string(kind),
      "args": .object(["name": .string(name)]),
    ])
  }

  static func counter(_ name: String, at seconds: Double, value: Double)
    -> JSONValue
  {
    .object([
      "ph": .string("C"), "pid": .int(1), "name": .string(name),
      "ts": time(seconds),
      "args": .object(["value": .number(value)]),
    ])
  }

  /// One DMA or compute slice of a `trace.json` (tracks 1–3), read back.
  public struct EngineSlice: Hashable, Sendable {
    /// The layer the slice belongs to.
    public var layer: String
    /// The engine (track).
    public var engine: Engine
    /// Start, seconds.
    public var start: Double
    /// Duration, seconds.
    public var duration: Double
    /// The first tile of the slice.
    public var firstTile: Int
    /// Tiles in the slice (at least 1).
    public var tiles: Int
  }

  /// The file as far as its engine slices go.
  struct File: Decodable {
    struct Event: Decodable {
      struct Args: Decodable {
        var layer: String?
        var firstTile: Int?
        var tiles: Int?
        enum CodingKeys: String, CodingKey {
          case layer, tiles
          case firstTile = "first_tile"
        }
      }
      var ph: String?
      var tid: Int?
      var ts: Double?
      var dur: Double?
      var args: Args?
    }
    var traceEvents: [Event]?
  }

  /// The DMA and compute slices of a `trace.json` this type rendered, in
  /// file order; `nil` when the bytes are not such a Chrome trace.
  public static func engineSlices(_ bytes: [UInt8]) -> [EngineSlice]? {
    guard let root = JSONValue.parse(bytes),
      let file = try? JSONValueDecoder.decode(File.self, from: root),
      let events = file.traceEvents
    else { return nil }
    let engines: [Int: Engine] = [1: .dmaIn, 2: .compute, 3: .dmaOut]
    return events.compactMap { e in
      guard e.ph == "X", let engine = e.tid.flatMap({ engines[$0] }),
        let layer = e.args?.layer, let ts = e.ts, let dur = e.dur,
        ts.isFinite, dur.isFinite
      else { return nil }
      return EngineSlice(
        layer: layer, engine: engine, start: ts / 1e6, duration: dur / 1e6,
        firstTile: e.args?.firstTile ?? 0, tiles: max(e.args?.tiles ?? 0, 1))
    }
  }
}
