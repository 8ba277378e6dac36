import Simulation

extension TraceSummary {
  /// The figures a comparison needs, taken from a run in memory rather than
  /// read back from its `summary.json` (`edgesim compare` of two sweep
  /// points simulates them again and keeps no files).
  ///
  /// The fields are those ``TraceSummaryReader`` reads from the file
  /// ``SummaryJSON`` writes for the same run: a layer's `bound` is its
  /// detailed bound (`onchip:glb`), energy components are `mac`, `ops`,
  /// `dram`, `onchip:<level>` (levels by name) and `static`. Numbers keep
  /// full precision here, where the file rounds them to nine significant
  /// digits.
  public init(_ run: RunSummary) {
    let totals = run.totals
    self.init(
      model: run.model, device: run.device, precision: run.precision,
      batch: run.batch,
      layers: run.layers.map {
        Layer(
          name: $0.name, op: $0.opType, latency: $0.seconds,
          energy: Self.components($0.energy),
          dramBytes: $0.dramBytes, utilization: $0.utilization,
          bound: $0.bound.description)
      },
      latency: totals.latency, energy: Self.components(totals.energy),
      dramBytes: totals.dramBytes,
      utilization: totals.macUtilization)
  }

  /// A breakdown as components, in ``TraceSummaryReader``'s order.
  static func components(_ energy: EnergyBreakdown) -> [(
    component: String, joules: Double
  )] {
    var result: [(component: String, joules: Double)] = [
      ("mac", energy.mac), ("ops", energy.operations), ("dram", energy.dram),
    ]
    for level in energy.onChip.sorted(by: { $0.level < $1.level }) {
      result.append(("onchip:\(level.level)", level.joules))
    }
    result.append(("static", energy.staticEnergy))
    return result
  }
}
