import HardwareModel

/// The three SRAMs of a SCALE-Sim array, in words (SCALE-Sim's word is one
/// byte), and the DRAM bandwidth feeding them.
///
/// Each SRAM is double-buffered 50/50 as in SCALE-Sim 3.0.0
/// (`scalesim-model.md`, "Double buffering").
public struct SystolicMemory: Hashable, Sendable {
  /// IFMAP SRAM words.
  public var ifmapWords: Int
  /// FILTER SRAM words.
  public var filterWords: Int
  /// OFMAP SRAM words.
  public var ofmapWords: Int
  /// DRAM bandwidth.
  public var bandwidth: SystolicBandwidth

  /// Creates a memory description.
  public init(
    ifmapWords: Int, filterWords: Int, ofmapWords: Int,
    bandwidth: SystolicBandwidth = .unlimited
  ) {
    self.ifmapWords = ifmapWords
    self.filterWords = filterWords
    self.ofmapWords = ofmapWords
    self.bandwidth = bandwidth
  }

  /// The SRAMs and bandwidth of a device read from a SCALE-Sim `.cfg`
  /// (`ScaleSimConfigReader`) or any device whose innermost partitioned
  /// level holds the three operands; word = `wordBytes` bytes.
  ///
  /// An infinite DRAM bandwidth is SCALE-Sim's `CALC` mode; a finite one
  /// (bytes/s) is converted to words per cycle with the device clock.
  /// Returns `nil` when the device has no partitioned on-chip level.
  public init?(device: Device, wordBytes: Double = 1) {
    guard
      let level = device.memory.last(where: {
        if case .partitioned = $0.capacity { return !$0.kind.isOffChip }
        return false
      }),
      let ifmap = level.capacity.bytes(for: .inputs),
      let filter = level.capacity.bytes(for: .weights),
      let ofmap = level.capacity.bytes(for: .outputs), wordBytes > 0
    else { return nil }
    ifmapWords = Int(saturating: ifmap / wordBytes)
    filterWords = Int(saturating: filter / wordBytes)
    ofmapWords = Int(saturating: ofmap / wordBytes)
    let read = device.backingStore.readBandwidth
    let write = device.backingStore.writeBandwidth
    if read.isFinite || write.isFinite {
      let perCycle = device.clock * wordBytes
      bandwidth = .wordsPerCycle(read: read / perCycle, write: write / perCycle)
    } else {
      bandwidth = .unlimited
    }
  }
}

/// DRAM bandwidth seen by a systolic array.
public enum SystolicBandwidth: Hashable, Sendable {
  /// SCALE-Sim's `CALC` mode: reads never stall and the OFMAP drains at C
  /// words per cycle, so cycles are purely analytic.
  case unlimited
  /// Finite bandwidth (SCALE-Sim's `USER` mode analogue), words per cycle
  /// for reads (IFMAP and FILTER together) and writes (OFMAP).
  case wordsPerCycle(read: Double, write: Double)
}
