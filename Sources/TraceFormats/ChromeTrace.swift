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
    for l in summary.layers where l.seconds > 0 {
      out.append(
        .object([
          "ph": .string("X"), "pid": .int(1), "tid": .int(0),
          "name": .string(l.name),
          "cat": .string(l.opType), "ts": .number(l.startSeconds * 1e6),
          "dur": .number(l.seconds * 1e6),
          "args": .object([
            "op": .string(l.opType), "cycles": .int(l.cycles),
            "bound": .string(l.bound.description),
            "energy_j": .number(l.energy.total),
            "dram_bytes": .int(l.dramBytes),
            "output_on_chip": .bool(l.outputStaysOnChip),
            "tiles": .int(l.tileCount),
            "mapping": .string(l.mapping),
          ]),
        ]))
      let bandwidth = l.seconds > 0 ? Double(l.dramBytes) / l.seconds / 1e9 : 0
      out.append(
        counter("dram bandwidth (GB/s)", at: l.startSeconds, value: bandwidth))
      out.append(
        counter(
          "buffer occupancy (bytes)", at: l.startSeconds,
          value: Double(l.bufferBytes)))
    }
    if let last = summary.layers.last {
      let end = last.startSeconds + last.seconds
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
      out.append(
        .object([
          "ph": .string("X"), "pid": .int(1), "tid": .int(tid),
          "name": .string(
            e.tiles > 1
              ? "\(e.layer) [\(e.tile)…\(e.tile + e.tiles - 1)]"
              : "\(e.layer) [\(e.tile)]"),
          "cat": .string(e.engine.rawValue), "ts": .number(e.start * 1e6),
          "dur": .number(e.duration * 1e6),
          "args": .object([
            "layer": .string(e.layer), "first_tile": .int(e.tile),
            "tiles": .int(e.tiles),
            (e.engine == .compute ? "macs" : "bytes"): .int(e.amount),
          ]),
        ]))
    }
    let root = JSONValue.object([
      "traceEvents": .array(out), "displayTimeUnit": .string("ns"),
      "otherData": .object([
        "schema": .string(SummaryJSON.schema),
        "precision": .string(summary.precision),
      ]),
    ])
    return root.rendered + "\n"
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
      "ts": .number(seconds * 1e6),
      "args": .object(["value": .number(value)]),
    ])
  }
}
