import HardwareModel
import Simulation

/// The by-operator summary of a run, as TFLite's `benchmark_model` prints
/// its "summary by node type": per operator type, its layers, time and
/// energy with their shares of the run's, DRAM traffic, and what bounds
/// them.
enum OperatorSummary {
  /// One operator type's figures.
  struct Row {
    var op: String
    var layers = 0
    var seconds = 0.0
    var joules = 0.0
    var dramBytes = 0
    var bounds: [String: Int] = [:]
  }

  /// The rows, longest total time first (ties by name).
  static func rows(_ summary: RunSummary) -> [Row] {
    var byOp: [String: Row] = [:]
    for layer in summary.layers {
      var row = byOp[layer.opType] ?? Row(op: layer.opType)
      row.layers += 1
      row.seconds += layer.seconds
      row.joules += layer.energy.total
      row.dramBytes +=
        layer.dramRead.values.reduce(0, +)
        + layer.dramWritten.values.reduce(0, +)
      if layer.fusedInto == nil, layer.bound != .none {
        row.bounds[layer.bound.label, default: 0] += 1
      }
      byOp[layer.opType] = row
    }
    return byOp.values.sorted { ($1.seconds, $0.op) < ($0.seconds, $1.op) }
  }

  /// The table: op, layers, time and its share, energy and its share,
  /// DRAM, bounds.
  static func render(_ summary: RunSummary) -> String {
    let totalSeconds = summary.layers.reduce(0) { $0 + $1.seconds }
    let totalJoules = summary.layers.reduce(0) { $0 + $1.energy.total }
    var table: [[String]] = [
      [
        "op", "layers", "time", "time %", "energy", "energy %", "DRAM",
        "bounds",
      ]
    ]
    for row in rows(summary) {
      table.append([
        row.op, String(row.layers), SimulationReport.time(row.seconds),
        share(row.seconds, of: totalSeconds),
        SimulationReport.energy(row.joules), share(row.joules, of: totalJoules),
        SimulationReport.bytes(row.dramBytes),
        row.bounds.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
          .map { "\($0.key) \($0.value)" }.joined(separator: ", "),
      ])
    }
    return TextTable.render(table)
  }

  /// A share in percent with one decimal, `-` of nothing.
  static func share(_ part: Double, of whole: Double) -> String {
    whole > 0 ? UnitFormatter.fixed(100 * part / whole, decimals: 1) : "-"
  }
}
