import Foundation
import HardwareModel
import Simulation

/// One row per layer (`layers.csv`), RFC 4180 quoting, fixed number format.
///
/// Columns: `name, op, cycles, latency_s, start_s, bound, utilization,
/// spatial_utilization, macs, operations, dram_read_bytes,
/// dram_written_bytes, energy_j, energy_mac_j, energy_ops_j, energy_dram_j,
/// energy_<level>_j` for every on-chip level, `energy_static_j, tiles,
/// output_on_chip, fused_into, mapping`.
public enum LayersCSV {
  /// Renders the table, newline-terminated.
  public static func render(_ summary: RunSummary) -> String {
    let levels = summary.layers.first?.energy.onChip.map(\.level) ?? []
    var header = [
      "name", "op", "cycles", "latency_s", "start_s", "bound", "utilization",
      "spatial_utilization", "macs", "operations", "dram_read_bytes",
      "dram_written_bytes",
      "energy_j", "energy_mac_j", "energy_ops_j", "energy_dram_j",
    ]
    header += levels.map { "energy_\($0)_j" }
    header += [
      "energy_static_j", "tiles", "output_on_chip", "fused_into", "mapping",
    ]
    var lines = [header.map(field).joined(separator: ",")]
    for l in summary.layers {
      var row = [
        l.name, l.opType, String(l.cycles), JSONValue.format(l.seconds),
        JSONValue.format(l.startSeconds), l.bound.description,
        JSONValue.format(l.utilization),
        JSONValue.format(l.spatialUtilization), String(l.macs),
        String(l.operations),
        String(l.dramRead.values.reduce(0, &+)),
        String(l.dramWritten.values.reduce(0, &+)),
        JSONValue.format(l.energy.total), JSONValue.format(l.energy.mac),
        JSONValue.format(l.energy.operations), JSONValue.format(l.energy.dram),
      ]
      row += l.energy.onChip.map { JSONValue.format($0.joules) }
      row += [
        JSONValue.format(l.energy.staticEnergy), String(l.tileCount),
        l.outputStaysOnChip ? "true" : "false", l.fusedInto ?? "", l.mapping,
      ]
      lines.append(row.map(field).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func field(_ s: String) -> String {
    guard
      s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
    else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
