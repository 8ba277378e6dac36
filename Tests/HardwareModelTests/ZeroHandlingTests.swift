import HardwareModel
import Testing

/// What a datapath leaves of a layer's MAC cycles and energy.
@Suite struct ZeroHandlingTests {
  @Test func policiesCombine() {
    let cases: [(ZeroHandling, Double, Double)] = [
      (.none, 1, 1),
      (ZeroHandling(weights: .gate, activations: .none), 1, 0.4),
      (ZeroHandling(weights: .skip, activations: .none), 0.4, 0.4),
      (ZeroHandling(weights: .none, activations: .gate), 1, 0.5),
      (ZeroHandling(weights: .skip, activations: .gate), 0.4, 0.2),
      (ZeroHandling(weights: .skip, activations: .skip), 0.2, 0.2),
    ]
    for (zeros, cycles, energy) in cases {
      let shares = zeros.remaining(weightDensity: 0.4, activationDensity: 0.5)
      #expect(abs(shares.cycles - cycles) < 1e-12, "\(zeros)")
      #expect(abs(shares.energy - energy) < 1e-12, "\(zeros)")
    }
  }

  @Test func densitiesAreClamped() {
    let zeros = ZeroHandling(weights: .skip, activations: .skip)
    #expect(zeros.remaining(weightDensity: 2, activationDensity: -1) == (0, 0))
    let nan = zeros.remaining(weightDensity: .nan, activationDensity: 1)
    #expect(nan.cycles == 1 && nan.energy == 1)
  }
}
