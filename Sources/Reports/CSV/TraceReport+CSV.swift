import Foundation

extension TraceReport {
  /// The per-layer figures the report draws, one row per layer in
  /// execution order: `name, op, fused_into, start_s, latency_s, bound,
  /// utilization, macs, operations, dram_bytes, arithmetic_intensity,
  /// achieved_ops_per_s, peak_ops_per_s, energy_j`, then `energy_<c>_j` for
  /// each component (`mac`, `ops`, `onchip_<level>`, `dram`, `static`).
  ///
  /// `edgesim simulate --trace` also writes `layers.csv` with every figure
  /// of the simulator (cycles, tiles, mapping, DRAM reads and writes apart);
  /// this table adds the roofline's coordinates and is what the charts plot.
  public var layersCSV: CSVTable {
    let components = EnergyBarsChart.components(self)
    var header = [
      "name", "op", "fused_into", "start_s", "latency_s", "bound",
      "utilization", "macs",
      "operations", "dram_bytes", "arithmetic_intensity", "achieved_ops_per_s",
      "peak_ops_per_s",
      "energy_j",
    ]
    header += components.map {
      "energy_\($0.replacingOccurrences(of: ":", with: "_"))_j"
    }
    var table = CSVTable(header: header)
    for l in layers {
      var row: [CSVTable.Cell] = [
        .text(l.name), .text(l.op), .text(l.fusedInto ?? ""), .number(l.start),
        .number(l.latency),
        .text(l.bound), .number(l.utilization), .integer(l.macs),
        .integer(l.operations),
        .integer(l.dramBytes),
        l.arithmeticIntensity.map(CSVTable.Cell.number) ?? .empty,
        l.achievedOperationsPerSecond.map(CSVTable.Cell.number) ?? .empty,
        .number(l.peakOperationsPerSecond), .number(l.totalEnergy),
      ]
      for name in components {
        row.append(
          .number(
            l.energy.filter { $0.name == name }.reduce(0) { $0 + $1.joules }))
      }
      table.rows.append(row)
    }
    return table
  }
}
