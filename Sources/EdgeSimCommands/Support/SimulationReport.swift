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

  static func render(_ summary: RunSummary, device: Device) -> String {
    var rows: [[String]] = [
      [
        "layer", "op", "prec", "cycles", "time", "bound", "DRAM", "E mac",
        "E on-chip",
        "E DRAM", "E static", "util",
      ]
    ]
    for layer in summary.layers {
      let e = layer.energy
      let dram =
        layer.dramRead.values.reduce(0, +)
        + layer.dramWritten.values.reduce(0, +)
      rows.append([
        layer.name, layer.opType, layer.widths.label,
        InspectReport.grouped(layer.cycles),
        time(layer.seconds),
        layer.fusedInto.map { "fused→\($0)" } ?? layer.bound.description,
        bytes(dram), energy(e.mac + e.operations),
        energy(e.onChip.reduce(0) { $0 + $1.joules }),
        energy(e.dram), energy(e.staticEnergy),
        UnitFormatter.fixed(100 * layer.utilization, decimals: 1) + "%",
      ])
    }
    let t = summary.totals
    var lines = [TextTable.render(rows), ""]
    lines.append(
      "\(summary.model) on \(summary.device) (\(device.kind.rawValue), \(UnitFormatter.decimal(device.clock, unit: "Hz"))), \(summary.precision), batch \(summary.batch)"
        + (summary.compression.map { ", DRAM coding: \($0)" } ?? "")
    )
    lines.append(
      "  latency       \(time(t.latency))   (\(InspectReport.grouped(t.cycles)) cycles)"
    )
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
    for layer in summary.layers where layer.fusedInto == nil {
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
