extension Device {
  /// Where the backing store sits in ``memory``: the first level, because
  /// the hierarchy is listed from the backing store inward and
  /// ``validate()`` accepts an off-chip level only there.
  public var backingStoreIndex: Int { memory.startIndex }

  /// The backing store (DRAM, flash or a host link): the level every
  /// operand is fetched from and written back to.
  ///
  /// A validated device always has one (``validate()`` refuses an empty
  /// hierarchy). An unvalidated device with no levels reads as
  /// ``MemoryLevel/unlimitedBackingStore``, and setting the backing store
  /// of such a device makes it the only level.
  public var backingStore: MemoryLevel {
    get { memory.first ?? .unlimitedBackingStore }
    set {
      if memory.isEmpty {
        memory = [newValue]
      } else {
        memory[backingStoreIndex] = newValue
      }
    }
  }

  /// Sets the backing store's read and write bandwidth as if the figure
  /// were written in the device file: kept in its unit, with the level's
  /// bandwidth efficiency applied at the current clock.
  ///
  /// - Parameter rate: The peak bandwidth, before the efficiency.
  public mutating func setBackingStoreBandwidth(_ rate: Rate) {
    var store = backingStore
    store.declaredRead = rate
    store.declaredWrite = rate
    store.resolve(clock: clock)
    backingStore = store
  }
}

extension MemoryLevel {
  /// The backing store an empty hierarchy reads as: unbounded, with
  /// unlimited bandwidth, no latency and no energy (SCALE-Sim's CALC mode).
  public static let unlimitedBackingStore = MemoryLevel(
    name: "unlimited", kind: .link, capacity: .unbounded,
    readBandwidth: .infinity, writeBandwidth: .infinity, sharedPort: false,
    energy: AccessEnergy(readPerBit: 0, writePerBit: 0))
}
