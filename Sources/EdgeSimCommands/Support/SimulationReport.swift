import Evaluation
import HardwareModel
import Simulation
import TraceFormats

/// The table `edgesim simulate` prints: one row per layer, then totals.
enum SimulationReport {
  static func time(_ seconds: Double) -> String {
    UnitFormatter.decimal(seconds, unit: "s")
  }
  static func energy(_ joules: Double) -> String {
    UnitFormatter.decimal(joules, unit: "J")
  }
  static func bytes(_ n: Int) -> String {
    UnitFormatter.binary(Double(n), unit: "B")
  }

  /// The per-layer table (ordered and cut by `table`), the summary by
  /// operator type, and the totals.
  static func render(
    _ summary: RunSummary, device: Device,
    table: TableOptions = TableOptions()
  ) -> String {
    var rows: [[String]] = [
      [
        "layer", "op", "prec", "cycles", "time", "time %", "bound", "DRAM",
        "E mac", "E on-chip", "E DRAM", "E static", "util",
      ]
    ]
    let totalSeconds = summary.layers.reduce(0) { $0 + $1.seconds }
    let shown = ordered(summary.layers, by: table.sort)
    let cut = table.top.map { min($0, shown.count) } ?? shown.count
    for layer in shown.prefix(cut) {
      let e = layer.energy
      let dram =
        layer.dramRead.values.reduce(0, +)
        + layer.dramWritten.values.reduce(0, +)
      rows.append([
        layer.name, layer.opType, layer.widths.label,
        InspectReport.grouped(layer.cycles),
        time(layer.seconds),
        OperatorSummary.share(layer.seconds, of: totalSeconds),
        layer.fusedInto.map { "fused→\($0)" }
          ?? (layer.host.map { "host \($0): " } ?? "")
            + layer.bound.description,
        bytes(dram), energy(e.mac + e.operations),
        energy(e.onChip.reduce(0) { $0 + $1.joules }),
        energy(e.dram), energy(e.staticEnergy),
        UnitFormatter.fixed(100 * layer.utilization, decimals: 1) + "%",
      ])
    }
    let t = summary.totals
    var lines = [TextTable.render(rows)]
    if cut < shown.count {
      lines.append(
        "… \(shown.count - cut) more layers (--top \(cut) of \(shown.count))")
    }
    lines += ["", "by operator type", OperatorSummary.render(summary), ""]
    lines.append(
      "\(summary.model) on \(summary.device) (\(device.kind.rawValue), \(UnitFormatter.decimal(device.clock, unit: "Hz"))), \(summary.precision), batch \(summary.batch)"
        + (summary.compression.map { ", DRAM coding: \($0)" } ?? "")
    )
    lines.append(
      "  latency       \(time(t.latency))   (\(InspectReport.grouped(t.cycles)) cycles)"
    )
    let onHost = summary.layers.filter { $0.host != nil }
    if let first = onHost.first, let host = first.host {
      let seconds = onHost.reduce(0) { $0 + $1.seconds }
      lines.append(
        "  host          \(host) ran \(onHost.count) layers from \(first.name) (the first one \(summary.device) does not run): \(time(seconds))"
      )
    }
    lines.append(
      "  throughput    \(UnitFormatter.trim(t.throughput)) inferences/s, \(UnitFormatter.decimal(t.operationsPerSecond, unit: "OP/s"))"
    )
    lines.append(
      "  energy        \(energy(t.energyPerInference)) per inference: MAC+ops \(energy(t.energy.mac + t.energy.operations)), on-chip \(energy(t.energy.onChip.reduce(0) { $0 + $1.joules })), \(t.energy.backingStore.level) \(energy(t.energy.dram)), static \(energy(t.energy.staticEnergy))"
    )
    lines.append(
      "  power         \(UnitFormatter.decimal(t.averagePower, unit: "W")) average"
    )
    lines.append(
      "  MACs          \(InspectReport.grouped(t.macs)), utilization \(UnitFormatter.fixed(100 * t.macUtilization, decimals: 1))% of \(UnitFormatter.decimal(summary.peakMACsPerSecond, unit: "MAC/s"))"
    )
    lines.append(
      "  DRAM traffic  \(bytes(t.dramBytesRead)) read, \(bytes(t.dramBytesWritten)) written"
    )
    lines.append(
      "  parameters    "
        + Self.parameterLine(summary.parameters, summary.inference))
    var bounds: [String: Int] = [:]
    for layer in summary.layers
    where layer.fusedInto == nil && layer.bound != .none {
      bounds[layer.bound.label, default: 0] += 1
    }
    lines.append(
      "  bounds        "
        + bounds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        .joined(separator: ", ") + " layers")
    return lines.joined(separator: "\n")
  }
}

extension SimulationReport {
  /// The layers in the table's order: execution order, or largest first
  /// (ties in execution order).
  static func ordered(_ layers: [LayerResult], by order: TableOptions.Order)
    -> [LayerResult]
  {
    let key: (LayerResult) -> Double
    switch order {
    case .order: return layers
    case .time: key = \.seconds
    case .energy: key = { $0.energy.total }
    case .dram:
      key = {
        Double(
          $0.dramRead.values.reduce(0, +) + $0.dramWritten.values.reduce(0, +))
      }
    }
    return layers.enumerated().sorted {
      (key($1.element), $0.offset) < (key($0.element), $1.offset)
    }.map(\.element)
  }

  /// Where the parameters were: kept on chip across inferences (steady
  /// state) or fetched during the timed inference.
  static func parameterLine(
    _ p: ParameterPlacement, _ inference: InferenceRegime
  ) -> String {
    let total = bytes(p.totalBytes)
    let regime =
      inference == .cold
      ? "cold: the first inference" : "steady state"
    switch p.label {
    case "none": return "none (\(regime))"
    case "resident": return "\(total), all on chip (\(regime))"
    case "streamed": return "\(total), all fetched during the run (\(regime))"
    default:
      return
        "\(bytes(p.residentBytes)) of \(total) on chip, \(bytes(p.totalBytes - p.residentBytes)) fetched during the run (\(regime))"
    }
  }

  /// summary.json's text: the run summary, with the measured accuracy when
  /// there is one.
  static func json(_ outcome: EvaluationOutcome) -> String {
    var summaryJSON = SummaryJSON.value(outcome.summary)
    if let accuracy = outcome.accuracy, case .object(var fields) = summaryJSON {
      fields["accuracy"] = accuracy.json
      summaryJSON = .object(fields)
    }
    return summaryJSON.rendered + "\n"
  }
}
