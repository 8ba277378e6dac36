import DesignSpace
import Testing

/// `compare --db`'s check of a stored point against a new simulation.
@Suite struct PointMetricsDifferencesTests {
  static let stored = PointMetrics(
    latency: 1e-3, energy: 2e-3, macEnergy: 1e-3, operationEnergy: 1e-4,
    dramEnergy: 5e-4, onChipEnergy: 3e-4, staticEnergy: 1e-4,
    dramBytes: 1_000_000, top1: 0.9)

  @Test func equalFiguresAgree() {
    var now = Self.stored
    now.top1 = nil  // not simulated, not compared
    now.latency *= 1 + 1e-12  // within 1e-9
    #expect(now.differences(from: Self.stored).isEmpty)
  }

  @Test func differingFiguresAreListedInOrder() {
    var now = Self.stored
    now.dramBytes = 2_000_000
    now.latency = 2e-3
    let differences = now.differences(from: Self.stored)
    #expect(differences.map(\.name) == ["latency", "DRAM bytes"])
    #expect(differences.first?.stored == 1e-3)
    #expect(differences.first?.now == 2e-3)
    #expect(differences.last?.unit == "B")
  }
}
