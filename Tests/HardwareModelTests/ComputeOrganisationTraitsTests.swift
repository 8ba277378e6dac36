import Testing

@testable import HardwareModel

/// The traits of each compute organisation that the engine branches on,
/// instead of the device's kind label.
@Suite struct ComputeOrganisationTraitsTests {
  struct Expected: Sendable, CustomTestStringConvertible {
    var organisation: ComputeOrganisation
    var rateRule: MACRateRule
    var fusedInShadow: Bool
    var testDescription: String { "\(organisation)" }
  }

  static let expected: [Expected] = [
    Expected(
      organisation: .vector(
        VectorCores(cores: 4, simdWidthBits: 128, pipes: 2)),
      rateRule: .widerListedDatapath, fusedInShadow: false),
    Expected(
      organisation: .shader(ShaderCores(cores: 4, alusPerCore: 64)),
      rateRule: .widerListedDatapath, fusedInShadow: false),
    Expected(
      organisation: .array(SystolicArray(rows: 8, columns: 8, dataflow: .ws)),
      rateRule: .widerListedDatapath, fusedInShadow: true),
    Expected(
      organisation: .dsp(DSPArray(dspSlices: 220)),
      rateRule: .exactOrDSPPacking, fusedInShadow: true),
  ]

  @Test(arguments: expected) func statesItsTraits(_ row: Expected) {
    #expect(row.organisation.macRateRule == row.rateRule)
    #expect(row.organisation.runsFusedActivationsInShadow == row.fusedInShadow)
  }

  /// One row per organisation: a new case must be added to the table.
  @Test func everyOrganisationIsListed() {
    func tag(_ organisation: ComputeOrganisation) -> Int {
      switch organisation {
      case .vector: 0
      case .shader: 1
      case .array: 2
      case .dsp: 3
      }
    }
    #expect(Set(Self.expected.map { tag($0.organisation) }) == [0, 1, 2, 3])
  }
}
