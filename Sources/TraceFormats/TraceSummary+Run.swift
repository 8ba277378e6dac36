import Simulation

extension TraceSummary {
  /// The figures a comparison needs from a trace's document.
  ///
  /// A layer's `bound` is its detailed bound (`onchip:glb`, or the short
  /// bound when an older summary has no detail); energy components are
  /// `mac`, `ops`, `dram`, `onchip:<level>` (levels by name) and `static`.
  public init(_ document: TraceDocument) {
    self.init(
      model: document.model, device: document.device,
      precision: document.precision, batch: document.batch,
      layers: document.layers.map {
        Layer(
          name: $0.name, op: $0.op, latency: $0.latency,
          energy: Self.components($0.energy), dramBytes: $0.dramBytes,
          utilization: $0.utilization, bound: $0.limit)
      },
      latency: document.totals.latency,
      energy: Self.components(document.totals.energy),
      dramBytes: document.totals.dramBytes,
      utilization: document.totals.macUtilization)
  }

  /// The figures a comparison needs, taken from a run in memory.
  ///
  /// Taken from the run rather than
  /// read back from its `summary.json` (`edgesim compare` of two sweep
  /// points simulates them again and keeps no files). Numbers keep full
  /// precision here, where the file rounds them to nine significant
  /// digits.
  public init(_ run: RunSummary) {
    self.init(TraceDocument(run))
  }

  /// A breakdown as components: `mac`, `ops`, `dram`, `onchip:<level>`
  /// (levels by name), `static`.
  static func components(_ energy: EnergyRecord) -> [(
    component: String, joules: Double
  )] {
    var result: [(component: String, joules: Double)] = [
      ("mac", energy.mac), ("ops", energy.operations), ("dram", energy.dram),
    ]
    for level in energy.onChip.entries.sorted(by: { $0.level < $1.level }) {
      result.append(("onchip:\(level.level)", level.value))
    }
    result.append(("static", energy.staticEnergy))
    return result
  }
}
