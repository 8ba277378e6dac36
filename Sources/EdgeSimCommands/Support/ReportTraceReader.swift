import Diagnostics
import Foundation
import Reports
import TraceFormats

/// Reads a trace folder written by `edgesim simulate --trace` into the
/// report's ``TraceReport``: `summary.json` as a ``TraceDocument`` (the
/// same reader as `edgesim compare`, so a bad file gets the same message)
/// for the layers, totals, device peak and roofline figures, and
/// `trace.json` (if present) for the engines' busy intervals.
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
    let document: TraceDocument
    switch TraceDocument.read(bytes: bytes) {
    case .success(let d): document = d
    case .failure(let problem):
      return .failure(
        CommandFailure(
          .error(problem.message, at: location, hint: problem.hint)))
    }
    var warnings: [Diagnostic] = []
    let tracePath =
      (summaryPath as NSString).deletingLastPathComponent.isEmpty
      ? "trace.json"
      : (summaryPath as NSString).deletingLastPathComponent + "/trace.json"
    var intervals: [EngineInterval] = []
    if FileManager.default.fileExists(atPath: tracePath) {
      switch FileIO.read(tracePath) {
      case .success(let traceBytes):
        if let slices = ChromeTrace.engineSlices(traceBytes) {
          intervals = slices.map(interval)
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
    return .success((report(document, intervals: intervals), warnings))
  }

  /// The report's view of a trace document.
  static func report(_ document: TraceDocument, intervals: [EngineInterval])
    -> TraceReport
  {
    let levels = levelOrder(document.layers)
    let layers = document.layers.map { layer($0, levels: levels) }
    let bandwidth = document.layers.lazy.compactMap(\.roofline.bandwidth)
      .first { $0 > 0 }
    let peak =
      document.peakMACsPerSecond > 0
      ? 2 * document.peakMACsPerSecond
      : layers.map(\.peakOperationsPerSecond).max() ?? 0
    return TraceReport(
      model: document.model, device: document.device,
      precision: document.precision, batch: document.batch,
      peakOperationsPerSecond: peak, dramBandwidth: bandwidth, layers: layers,
      intervals: intervals, latency: document.totals.latency,
      energy: components(document.totals.energy, levels: levels),
      dramBytes: document.totals.dramBytes,
      utilization: document.totals.macUtilization)
  }

  /// One layer of the document.
  static func layer(_ l: LayerRecord, levels: [String]) -> ReportLayer {
    ReportLayer(
      name: l.name, op: l.op, start: l.start, latency: l.latency,
      energy: components(l.energy, levels: levels), dramBytes: l.dramBytes,
      macs: l.macs, operations: l.operations, utilization: l.utilization,
      bound: l.limit,
      arithmeticIntensity: l.roofline.arithmeticIntensity,
      peakOperationsPerSecond: l.roofline.peakOperationsPerSecond,
      fusedInto: l.fusedInto)
  }

  /// The on-chip levels from the outermost inward, as the first layer's
  /// `levels` lists them (backing store first); levels only named in
  /// energies follow in name order.
  static func levelOrder(_ layers: [LayerRecord]) -> [String] {
    var order: [String] = []
    if let first = layers.first {
      for entry in first.levels
      where entry.level != first.energy.backingStore
        && !order.contains(entry.level)
      {
        order.append(entry.level)
      }
    }
    for l in layers {
      for entry in l.energy.onChip.entries.sorted(by: { $0.level < $1.level })
      where !order.contains(entry.level) {
        order.append(entry.level)
      }
    }
    return order
  }

  /// An energy record as components: `mac`, `ops`, each on-chip level,
  /// `dram`, `static`.
  static func components(_ energy: EnergyRecord, levels: [String])
    -> [EnergyComponent]
  {
    var result = [
      EnergyComponent("mac", joules: energy.mac),
      EnergyComponent("ops", joules: energy.operations),
    ]
    for level in levels {
      if let joules = energy.onChip[level] {
        result.append(EnergyComponent("onchip:\(level)", joules: joules))
      }
    }
    result.append(EnergyComponent("dram", joules: energy.dram))
    result.append(EnergyComponent("static", joules: energy.staticEnergy))
    return result
  }

  /// A slice of `trace.json` as the timeline draws it.
  static func interval(_ slice: ChromeTrace.EngineSlice) -> EngineInterval {
    let engine: EngineInterval.Engine
    switch slice.engine {
    case .dmaIn: engine = .dmaIn
    case .compute: engine = .compute
    case .dmaOut: engine = .dmaOut
    }
    return EngineInterval(
      layer: slice.layer, engine: engine, start: slice.start,
      duration: slice.duration, firstTile: slice.firstTile, tiles: slice.tiles)
  }
}
