import Diagnostics
import Testing

@testable import HardwareModel

@Suite struct DeviceTests {
  func device(
    memory: [MemoryLevel]? = nil, organisation: ComputeOrganisation? = nil,
    rates: [Precision: Double] = [.int8: 1], fabric: FPGAFabric? = nil
  ) -> Device {
    let dram = MemoryLevel(
      name: "dram", kind: .dram, capacity: .unbounded, readBandwidth: 1e9,
      writeBandwidth: 1e9,
      energy: AccessEnergy(readPerBit: 1e-11, writePerBit: 1e-11))
    let sram = MemoryLevel(
      name: "sram", kind: .sram, capacity: .shared(bytes: 65_536),
      readBandwidth: 1e10,
      writeBandwidth: 1e10,
      energy: AccessEnergy(readPerBit: 1e-13, writePerBit: 1e-13))
    return Device(
      name: "d", kind: .npu, technologyNanometres: 28, clock: 1e9,
      compute: Compute(
        organisation: organisation
          ?? .array(SystolicArray(rows: 8, columns: 8, dataflow: .os)),
        macsPerCycle: rates, macEnergy: [.int8: 1e-13]),
      memory: memory ?? [dram, sram], staticPower: 0.1, fabric: fabric)
  }

  @Test func peakRateIsUnitsTimesRateTimesClock() {
    let d = device(rates: [.int8: 2, .int16: 1])
    #expect(d.peakMACsPerSecond(.int8) == 64 * 2 * 1e9)
    #expect(d.peakMACsPerSecond(.int16) == 64e9)
    #expect(d.peakMACsPerSecond(.fp32) == nil)
    #expect(d.compute.nativePrecision == .int8)
    #expect(d.onChipBytes == 65_536)
    #expect(d.validate().isEmpty)
  }

  @Test func emptyHierarchyIsAnError() {
    #expect(
      device(memory: []).validate().contains { $0.message.contains("empty") })
  }

  @Test func convolverOrganisationCountsMultipliers() {
    let org = ConvolverOrganisation(
      processingElements: 2, convolversPerPE: 4, kernel: 3)
    #expect(org.multipliers == 72)
  }

  @Test func technologyScalingFollowsTheTable() {
    #expect(abs(TechnologyScaling.relativeEnergy(atNanometres: 45) - 1) < 1e-12)
    #expect(
      abs(TechnologyScaling.relativeEnergy(atNanometres: 28) - 0.5) < 1e-12)
    #expect(
      abs(TechnologyScaling.relativeEnergy(atNanometres: 7) - 0.22) < 1e-12)
    let at65 = TechnologyScaling.relativeEnergy(atNanometres: 65)
    #expect(at65 > 1.6 && at65 < 1.8)
    // Monotone in the node.
    var previous = 0.0
    for node in stride(from: 3.0, through: 180, by: 1) {
      let e = TechnologyScaling.relativeEnergy(atNanometres: node)
      #expect(e > previous)
      previous = e
    }
    #expect(
      abs(TechnologyScaling.factor(fromNanometres: 45, toNanometres: 28) - 0.5)
        < 1e-12)
  }

  @Test func fabricBudgetIsCheckedWithTheExcess() {
    let d = device(
      organisation: .dsp(DSPArray(dspSlices: 950)),
      fabric: FPGAFabric(part: "XC7Z045", dsp: 900, bram36k: 1))
    let problems = d.validate()
    #expect(problems.contains { $0.message.contains("over by 50") })
    // 64 KiB of sram is not bram, so the BRAM budget is not involved.
    #expect(!problems.contains { $0.message.contains("BRAM36") })
  }
}
