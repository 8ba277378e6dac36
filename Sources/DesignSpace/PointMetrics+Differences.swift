/// Where a point's figures, simulated again, disagree with the stored ones
/// (`edgesim compare --db` checks a results file against today's models and
/// devices with it).
extension PointMetrics {
  /// One figure that differs.
  public struct Difference: Hashable, Sendable {
    /// What the figure is, in words (`latency`, `DRAM energy`).
    public var name: String
    /// Its unit: `s`, `J` or `B`.
    public var unit: String
    /// The stored value.
    public var stored: Double
    /// The value now.
    public var now: Double
  }

  /// The figures of `self` (simulated now) that differ from `stored` by
  /// more than a relative 1e-9, in a fixed order; `top1` is not simulated
  /// and not compared.
  public func differences(from stored: PointMetrics) -> [Difference] {
    func close(_ x: Double, _ y: Double) -> Bool {
      abs(x - y) <= 1e-9 * max(abs(x), abs(y))
    }
    let figures: [(String, String, Double, Double)] = [
      ("latency", "s", stored.latency, latency),
      ("energy", "J", stored.energy, energy),
      ("MAC energy", "J", stored.macEnergy, macEnergy),
      ("operation energy", "J", stored.operationEnergy, operationEnergy),
      ("DRAM energy", "J", stored.dramEnergy, dramEnergy),
      ("on-chip energy", "J", stored.onChipEnergy, onChipEnergy),
      ("static energy", "J", stored.staticEnergy, staticEnergy),
      ("DRAM bytes", "B", Double(stored.dramBytes), Double(dramBytes)),
    ]
    return figures.filter { !close($0.2, $0.3) }.map {
      Difference(name: $0.0, unit: $0.1, stored: $0.2, now: $0.3)
    }
  }
}
