import Foundation
import Simulation

/// One row per layer (`layers.csv`), RFC 4180 quoting, fixed number format.
///
/// The columns are ``LayerRecord/csvColumns(levels:)``: `name, op, cycles,
/// latency_s, start_s, bound, utilization, spatial_utilization, macs,
/// operations, dram_read_bytes, dram_written_bytes, energy_j,
/// energy_mac_j, energy_ops_j, energy_dram_j, energy_onchip_j` (every
/// on-chip level), `energy_onchip_<level>_j` for each on-chip level,
/// `energy_static_j, tiles, output_on_chip, fused_into, mapping`.
public enum LayersCSV {
  /// Renders the table, newline-terminated.
  public static func render(_ summary: RunSummary) -> String {
    render(TraceDocument(summary))
  }

  /// Renders a document's layers; the on-chip levels are the first
  /// layer's.
  public static func render(_ document: TraceDocument) -> String {
    let levels = document.layers.first?.energy.onChip.entries.map(\.level) ?? []
    let columns = LayerRecord.csvColumns(levels: levels)
    var lines = [columns.map { field($0.header) }.joined(separator: ",")]
    for layer in document.layers {
      lines.append(
        columns.map { field($0.value(layer)) }.joined(separator: ","))
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
