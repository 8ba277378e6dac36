import Diagnostics
import Foundation
import Reports
import TraceFormats

/// Reads a trace folder written by `edgesim simulate --trace` into the
/// report's ``TraceReport``: `summary.json` for the layers, totals, device
/// peak and roofline figures, and `trace.json` (if present) for the
/// engines' busy intervals.
///
/// `TraceSummaryReader` checks the summary first (JSON, schema
/// `edgesim.trace/1`, the fields `compare` needs), so a bad file gets the
/// same message as in `edgesim compare`; the figures only the report uses
/// (MACs, start times, roofline, fused producers, level order) are read
/// here, each with a neutral default when an older summary lacks it.
enum ReportTraceReader {
  /// The run and any warnings (an unreadable `trace.json` only loses the
  /// timeline's engine lanes).
  static func read(summaryPath: String) -> Result<
    (TraceReport, [Diagnostic]), CommandFailure
  > {
    let location = SourceLocation(file: summaryPath)
    let bytes: [UInt8]
    switch FileIO.read(summaryPath) {
    case .success(let b): bytes = b
    case .failure(let d): return .failure(CommandFailure(d))
    }
    if case .failure(let problem) = TraceSummaryReader.read(bytes: bytes) {
      return .failure(
        CommandFailure(
          .error(problem.message, at: location, hint: problem.hint)))
    }
    guard
      let object = try? JSONSerialization.jsonObject(with: Data(bytes))
        as? [String: Any],
      let totals = object["totals"] as? [String: Any],
      let layerObjects = object["layers"] as? [[String: Any]]
    else {
      return .failure(
        CommandFailure(.error("not a trace summary", at: location)))
    }
    let levels = levelOrder(layerObjects)
    let layers = layerObjects.map { layer(from: $0, levels: levels) }
    let bandwidth = layerObjects.lazy.compactMap {
      ($0["roofline"] as? [String: Any]).flatMap {
        number($0["bandwidth_bytes_per_s"])
      }
    }
    .first { $0 > 0 }
    let peakMACs = number(object["peak_macs_per_s"])
    let peak =
      peakMACs.map { 2 * $0 } ?? layers.map(\.peakOperationsPerSecond).max()
      ?? 0
    var warnings: [Diagnostic] = []
    let tracePath =
      (summaryPath as NSString).deletingLastPathComponent.isEmpty
      ? "trace.json"
      : (summaryPath as NSString).deletingLastPathComponent + "/trace.json"
    var intervals: [EngineInterval] = []
    if FileManager.default.fileExists(atPath: tracePath) {
      switch FileIO.read(tracePath) {
      case .success(let traceBytes):
        if let events = engineIntervals(traceBytes) {
          intervals = events
        } else {
          warnings.append(
            .warning(
              "not a Chrome trace written by edgesim; the timeline shows layers only",
              at: SourceLocation(file: tracePath)))
        }
      case .failure(let d):
        warnings.append(
          .warning(
            d.message + "; the timeline shows layers only", at: d.location))
      }
    }
    let run = TraceReport(
      model: object["model"] as? String ?? "",
      device: object["device"] as? String ?? "",
      precision: object["precision"] as? String ?? "",
      batch: integer(object["batch"]),
      peakOperationsPerSecond: peak, dramBandwidth: bandwidth, layers: layers,
      intervals: intervals,
      latency: number(totals["latency_s"]) ?? 0,
      energy: components(totals["energy"], levels: levels),
      dramBytes: integer(totals["dram_bytes"]),
      utilization: number(totals["mac_utilization"]) ?? 0)
    return .success((run, warnings))
  }

  /// One layer object of the summary.
  static func layer(from l: [String: Any], levels: [String]) -> ReportLayer {
    let roofline = l["roofline"] as? [String: Any] ?? [:]
    return ReportLayer(
      name: l["name"] as? String ?? "", op: l["op"] as? String ?? "",
      start: number(l["start_s"]) ?? 0,
      latency: number(l["latency_s"]) ?? 0,
      energy: components(l["energy"], levels: levels),
      dramBytes: integer(l["dram_bytes"]), macs: integer(l["macs"]),
      operations: integer(l["operations"]),
      utilization: number(l["utilization"]) ?? 0,
      bound: l["bound_detail"] as? String ?? l["bound"] as? String ?? "",
      arithmeticIntensity: number(roofline["arithmetic_intensity"]),
      peakOperationsPerSecond: number(roofline["peak_ops_per_s"]) ?? 0,
      fusedInto: l["fused_into"] as? String)
  }

  /// The on-chip levels from the outermost inward, as the first layer's
  /// `levels` lists them (backing store first); levels only named in
  /// energies follow in name order.
  static func levelOrder(_ layers: [[String: Any]]) -> [String] {
    var order: [String] = []
    if let first = layers.first {
      let backing =
        (first["energy"] as? [String: Any])?["backing_store"] as? String
      for entry in first["levels"] as? [[String: Any]] ?? [] {
        if let name = entry["level"] as? String, name != backing,
          !order.contains(name)
        {
          order.append(name)
        }
      }
    }
    for l in layers {
      let onChip =
        ((l["energy"] as? [String: Any])?["on_chip"] as? [String: Any]) ?? [:]
      for name in onChip.keys.sorted() where !order.contains(name) {
        order.append(name)
      }
    }
    return order
  }

  /// An energy object as components: `mac`, `ops`, each on-chip level,
  /// `dram`, `static`.
  static func components(_ value: Any?, levels: [String]) -> [EnergyComponent] {
    let energy = value as? [String: Any] ?? [:]
    let onChip = energy["on_chip"] as? [String: Any] ?? [:]
    var result = [
      EnergyComponent("mac", joules: number(energy["mac"]) ?? 0),
      EnergyComponent("ops", joules: number(energy["ops"]) ?? 0),
    ]
    for level in levels where onChip[level] != nil {
      result.append(
        EnergyComponent("onchip:\(level)", joules: number(onChip[level]) ?? 0))
    }
    result.append(EnergyComponent("dram", joules: number(energy["dram"]) ?? 0))
    result.append(
      EnergyComponent("static", joules: number(energy["static"]) ?? 0))
    return result
  }

  /// The DMA and compute slices of a `trace.json` (tracks 1–3), in file
  /// order; `nil` when the file is not a Chrome trace.
  static func engineIntervals(_ bytes: [UInt8]) -> [EngineInterval]? {
    guard
      let root = try? JSONSerialization.jsonObject(with: Data(bytes))
        as? [String: Any],
      let events = root["traceEvents"] as? [[String: Any]]
    else { return nil }
    let engines: [Int: EngineInterval.Engine] = [
      1: .dmaIn, 2: .compute, 3: .dmaOut,
    ]
    return events.compactMap { e in
      guard e["ph"] as? String == "X", let engine = engines[integer(e["tid"])],
        let args = e["args"] as? [String: Any],
        let layer = args["layer"] as? String,
        let ts = number(e["ts"]), let dur = number(e["dur"])
      else { return nil }
      return EngineInterval(
        layer: layer, engine: engine, start: ts / 1e6, duration: dur / 1e6,
        firstTile: integer(args["first_tile"]),
        tiles: max(integer(args["tiles"]), 1))
    }
  }

  static func number(_ value: Any?) -> Double? {
    guard let n = value as? NSNumber, !(value is Bool) else { return nil }
    let d = n.doubleValue
    return d.isFinite ? d : nil
  }

  static func integer(_ value: Any?) -> Int {
    (value as? NSNumber)?.intValue ?? 0
  }
}
