import Testing

@testable import HardwareModel

/// The backing store as a named capability: what the engine and sweep
/// overrides use instead of `memory[0]`.
@Suite struct BackingStoreTests {
  static let efficiency = CalibrationFactor(
    value: 0.75, fittedTo: "test")

  func device(memory: [MemoryLevel]? = nil) -> Device {
    var dram = MemoryLevel(
      name: "dram", kind: .dram, capacity: .unbounded, readBandwidth: 0,
      writeBandwidth: 0,
      energy: AccessEnergy(readPerBit: 1e-11, writePerBit: 1e-11),
      bandwidthEfficiency: Self.efficiency)
    dram.declaredRead = .perSecond(4e9)
    dram.declaredWrite = .perSecond(2e9)
    let sram = MemoryLevel(
      name: "sram", kind: .sram, capacity: .shared(bytes: 65_536),
      readBandwidth: 1e10, writeBandwidth: 1e10,
      energy: AccessEnergy(readPerBit: 1e-13, writePerBit: 1e-13))
    var device = Device(
      name: "d", kind: .npu, technologyNanometres: 28, clock: 1e9,
      compute: Compute(
        organisation: .array(SystolicArray(rows: 8, columns: 8, dataflow: .os)),
        macsPerCycle: [.int8: 1], macEnergy: [.int8: 1e-13]),
      memory: memory ?? [dram, sram], staticPower: 0.1)
    device.resolveRates()
    return device
  }

  @Test func isTheOutermostLevel() {
    let d = device()
    #expect(d.validate().isEmpty)
    #expect(d.backingStoreIndex == 0)
    #expect(d.backingStore == d.memory[d.backingStoreIndex])
    #expect(d.backingStore.name == "dram")
    #expect(d.backingStore.readBandwidth == 3e9)
    #expect(d.backingStore.writeBandwidth == 1.5e9)
  }

  @Test func settingItReplacesOnlyTheBackingStore() {
    var d = device()
    let sram = d.memory[1]
    d.backingStore.sharedPort = false
    d.backingStore.latency = 1e-7
    #expect(d.memory[0].sharedPort == false)
    #expect(d.memory[0].latency == 1e-7)
    #expect(d.memory[1] == sram)
    #expect(d.memory.count == 2)
  }

  /// An override of the bandwidth goes through the same rule as the
  /// reader: the figure as written, times the level's efficiency.
  @Test func bandwidthOverrideAppliesTheEfficiency() {
    var d = device()
    d.setBackingStoreBandwidth(.perSecond(8e9))
    #expect(d.backingStore.declaredRead == .perSecond(8e9))
    #expect(d.backingStore.declaredWrite == .perSecond(8e9))
    #expect(d.backingStore.readBandwidth == 6e9)
    #expect(d.backingStore.writeBandwidth == 6e9)
    #expect(d.memory[1].readBandwidth == 1e10)
  }

  @Test func perCycleBandwidthOverrideFollowsTheClock() {
    var d = device()
    d.setBackingStoreBandwidth(.perCycle(8))
    #expect(d.backingStore.readBandwidth == 8 * 1e9 * 0.75)
    d.clock = 2e9
    #expect(d.backingStore.readBandwidth == 8 * 2e9 * 0.75)
  }

  /// An unvalidated device without levels still answers, and validation
  /// refuses it.
  @Test func emptyHierarchyReadsAsUnlimited() {
    var d = device(memory: [])
    #expect(d.backingStore == .unlimitedBackingStore)
    #expect(d.backingStore.readBandwidth.isInfinite)
    #expect(!d.validate().isEmpty)
    d.setBackingStoreBandwidth(.perSecond(1e9))
    #expect(d.memory.count == 1)
    #expect(d.backingStore.readBandwidth == 1e9)
  }
}
