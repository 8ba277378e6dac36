import HardwareModel

/// Energy of one memory level, joules.
public struct LevelEnergy: Hashable, Sendable {
  /// The level's name.
  public var level: String
  /// Joules.
  public var joules: Double

  /// Creates the entry.
  public init(level: String, joules: Double) {
    self.level = level
    self.joules = joules
  }
}

/// Energy split by component and by operand, joules.
///
/// Components: MACs, non-MAC operations, each memory level (the backing
/// store under ``backingStore``, on-chip levels in ``onChip``, outermost
/// first) and static power × time. By operand: the data-movement energy of
/// each operand over every level (MAC, operation and static energy belong to
/// no operand).
public struct EnergyBreakdown: Hashable, Sendable {
  /// MAC energy.
  public var mac: Double
  /// Non-MAC operation energy.
  public var operations: Double
  /// The backing store (DRAM, flash or link).
  public var backingStore: LevelEnergy
  /// On-chip levels, outermost first.
  public var onChip: [LevelEnergy]
  /// Static power × latency.
  public var staticEnergy: Double
  /// Data-movement energy per operand.
  public var byOperand: [Operand: Double]

  /// Creates a breakdown.
  public init(
    mac: Double, operations: Double, backingStore: LevelEnergy,
    onChip: [LevelEnergy],
    staticEnergy: Double, byOperand: [Operand: Double]
  ) {
    self.mac = mac
    self.operations = operations
    self.backingStore = backingStore
    self.onChip = onChip
    self.staticEnergy = staticEnergy
    self.byOperand = byOperand
  }

  /// A zero breakdown with the device's level names.
  public static func zero(for device: Device) -> EnergyBreakdown {
    EnergyBreakdown(
      mac: 0, operations: 0,
      backingStore: LevelEnergy(level: device.backingStore.name, joules: 0),
      onChip: device.memory.dropFirst().map {
        LevelEnergy(level: $0.name, joules: 0)
      },
      staticEnergy: 0, byOperand: [.weights: 0, .inputs: 0, .outputs: 0])
  }

  /// The backing store's energy (the "DRAM" component).
  public var dram: Double { backingStore.joules }

  /// Every component summed.
  public var total: Double {
    mac + operations + backingStore.joules + onChip.reduce(0) { $0 + $1.joules }
      + staticEnergy
  }

  /// Component-wise sum (levels matched by position).
  public func adding(_ other: EnergyBreakdown) -> EnergyBreakdown {
    var result = self
    result.mac += other.mac
    result.operations += other.operations
    result.backingStore.joules += other.backingStore.joules
    for index in result.onChip.indices where index < other.onChip.count {
      result.onChip[index].joules += other.onChip[index].joules
    }
    result.staticEnergy += other.staticEnergy
    for (operand, joules) in other.byOperand {
      result.byOperand[operand, default: 0] += joules
    }
    return result
  }

  /// Every figure multiplied by `factor` (per inference from per batch).
  public func scaled(by factor: Double) -> EnergyBreakdown {
    var result = self
    result.mac *= factor
    result.operations *= factor
    result.backingStore.joules *= factor
    for index in result.onChip.indices { result.onChip[index].joules *= factor }
    result.staticEnergy *= factor
    for key in result.byOperand.keys {
      result.byOperand[key, default: 0] *= factor
    }
    return result
  }
}
