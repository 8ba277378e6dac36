/// The physical kind of a memory level.
public enum MemoryKind: String, Sendable, CaseIterable, Hashable {
  /// Off-chip DRAM (DDR, LPDDR).
  case dram
  /// Off-chip or embedded flash (microcontroller weights).
  case flash
  /// A host link that feeds the device (USB, PCIe) and acts as its backing store.
  case link
  /// An on-chip cache managed by hardware.
  case cache
  /// An on-chip SRAM managed by software or DMA (scratchpad, global buffer).
  case sram
  /// FPGA block RAM.
  case bram
  /// Register files inside processing elements.
  case registers

  /// Whether the level sits off the chip (the backing store).
  public var isOffChip: Bool {
    self == .dram || self == .flash || self == .link
  }
}

/// Capacity of a level: shared by the operands it holds, or split per operand.
public enum MemoryCapacity: Hashable, Sendable {
  /// Unbounded (a backing store whose size does not matter).
  case unbounded
  /// One pool in bytes shared by every operand the level holds.
  case shared(bytes: Double)
  /// Dedicated bytes per operand (SCALE-Sim's ifmap/filter/ofmap SRAMs).
  case partitioned([Operand: Double])

  /// Total bytes, or `nil` when unbounded.
  public var totalBytes: Double? {
    switch self {
    case .unbounded: nil
    case .shared(let bytes): bytes
    case .partitioned(let parts): parts.values.reduce(0, +)
    }
  }

  /// Bytes available to one operand (the whole pool when shared).
  public func bytes(for operand: Operand) -> Double? {
    switch self {
    case .unbounded: nil
    case .shared(let bytes): bytes
    case .partitioned(let parts): parts[operand] ?? 0
    }
  }
}

/// Energy of moving data at a level, per bit (per-access figures are divided
/// by the port width when the description is read).
public struct AccessEnergy: Hashable, Sendable {
  /// Joules per bit read.
  public var readPerBit: Double
  /// Joules per bit written.
  public var writePerBit: Double

  /// Creates the energy figures.
  public init(readPerBit: Double, writePerBit: Double) {
    self.readPerBit = readPerBit
    self.writePerBit = writePerBit
  }
}

/// One level of the memory hierarchy, from the backing store inward.
///
/// Bandwidth is kept in bytes per second (``readBandwidth``,
/// ``writeBandwidth``, with the bandwidth efficiency applied); the figures
/// as written, per second or per cycle, are kept beside them
/// (``declaredRead``, ``declaredWrite``, ``declaredLatency``) so that
/// ``Device/resolveRates()`` can recompute them when the clock changes.
public struct MemoryLevel: Hashable, Sendable {
  /// Unique name, for example `dram`, `glb`, `l2`.
  public var name: String
  /// Physical kind.
  public var kind: MemoryKind
  /// Capacity of one instance.
  public var capacity: MemoryCapacity
  /// How many identical instances (one per core or PE); bandwidth and
  /// capacity figures are per instance.
  public var instances: Int
  /// Sustained read bandwidth of one instance, bytes/s (`.infinity` for an
  /// unlimited backing store, as in SCALE-Sim's CALC mode).
  public var readBandwidth: Double
  /// Sustained write bandwidth of one instance, bytes/s.
  public var writeBandwidth: Double
  /// Whether reads and writes share one port (their times add) or not.
  public var sharedPort: Bool
  /// Access latency in seconds.
  public var latency: Double
  /// Port width in bits (the access granularity).
  public var portWidthBits: Double?
  /// Energy per bit moved.
  public var energy: AccessEnergy
  /// Leakage of all instances, watts (part of static power).
  public var leakage: Double
  /// The operands this level may hold.
  public var holds: Set<Operand>
  /// Whether tiles are double-buffered here (half the capacity is active).
  public var doubleBuffered: Bool
  /// Whether an activation too large to stay here whole is produced and
  /// consumed in bands of rows through consecutive layers, kept on this
  /// level, instead of spilled to the backing store (layer fusion through
  /// a line buffer, as the Edge TPU's compiler keeps activations on chip;
  /// `Documentation/Simulator.md`, "Row bands").
  public var rowBands = false
  /// The sustained fraction of the peak bandwidth, already applied to
  /// ``readBandwidth`` and ``writeBandwidth``, with its measurement.
  public var bandwidthEfficiency: CalibrationFactor?
  /// The read bandwidth as written (peak, before the efficiency), or `nil`
  /// when the level was built with ``readBandwidth`` alone.
  public var declaredRead: Rate?
  /// The write bandwidth as written, or `nil`.
  public var declaredWrite: Rate?
  /// The latency as written, or `nil`.
  public var declaredLatency: Delay?

  /// Creates a level; see the properties for the meaning of each argument.
  public init(
    name: String, kind: MemoryKind, capacity: MemoryCapacity,
    instances: Int = 1,
    readBandwidth: Double, writeBandwidth: Double, sharedPort: Bool = true,
    latency: Double = 0, portWidthBits: Double? = nil, energy: AccessEnergy,
    leakage: Double = 0, holds: Set<Operand> = Set(Operand.allCases),
    doubleBuffered: Bool = false, bandwidthEfficiency: CalibrationFactor? = nil
  ) {
    self.name = name
    self.kind = kind
    self.capacity = capacity
    self.instances = instances
    self.readBandwidth = readBandwidth
    self.writeBandwidth = writeBandwidth
    self.sharedPort = sharedPort
    self.latency = latency
    self.portWidthBits = portWidthBits
    self.energy = energy
    self.leakage = leakage
    self.holds = holds
    self.doubleBuffered = doubleBuffered
    self.bandwidthEfficiency = bandwidthEfficiency
  }

  /// Total bytes over all instances, or `nil` when unbounded.
  public var totalBytes: Double? {
    capacity.totalBytes.map { $0 * Double(instances) }
  }
}
