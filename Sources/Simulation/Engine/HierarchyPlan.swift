import HardwareModel
import Mapping

/// Which levels hold which operand, derived once per device.
///
/// Each operand moves along its *chain*: the levels that may hold it, from
/// the backing store inward. Its *staging* level is the first on-chip level
/// of the chain: tiles are sized to fit there and DMA fills it from the
/// backing store. Deeper levels of the chain are filled from the one before.
/// An operand whose home is on chip (a microcontroller's activations) never
/// touches the backing store and must stay resident.
struct HierarchyPlan: Sendable {
  let device: Device
  let chain: [Operand: [Int]]
  let staging: [Operand: Int]
  let homeOnChip: [Operand: Bool]
  /// The level that keeps activations between layers, with its capacity in bits.
  let residentLevel: (index: Int, bits: Double)?

  init(device: Device) {
    self.device = device
    var chain: [Operand: [Int]] = [:]
    var staging: [Operand: Int] = [:]
    var homeOnChip: [Operand: Bool] = [:]
    for operand in Operand.allCases {
      let levels = device.memory.indices.filter {
        device.memory[$0].holds.contains(operand)
      }
      chain[operand] = levels
      if let first = levels.first(where: { !device.memory[$0].kind.isOffChip })
      {
        staging[operand] = first
      }
      homeOnChip[operand] =
        levels.first.map { !device.memory[$0].kind.isOffChip } ?? false
    }
    self.chain = chain
    self.staging = staging
    self.homeOnChip = homeOnChip
    var resident: (Int, Double)?
    if let i = staging[.inputs], staging[.outputs] == i,
      case .shared(let bytes) = device.memory[i].capacity
    {
      resident = (i, bytes * Double(device.memory[i].instances) * 8)
    }
    self.residentLevel = resident
    self.reservationLimitsStaging =
      resident.map { r in staging.values.contains(r.0) } ?? false
  }

  /// Whether the resident level is a staging level, so that bits reserved
  /// there by activations kept on chip shrink the tiles' budget.
  let reservationLimitsStaging: Bool

  /// The backing store, when the operand lives there.
  func usesBackingStore(_ operand: Operand) -> Bool {
    guard let first = chain[operand]?.first else { return false }
    return device.memory[first].kind.isOffChip
  }

  /// The on-chip levels of the operand's chain after its staging level.
  func innerLevels(of operand: Operand) -> [Int] {
    guard let s = staging[operand], let levels = chain[operand] else {
      return []
    }
    return levels.filter { $0 > s }
  }

  /// The innermost level holding the operand.
  func innermost(of operand: Operand) -> Int? { chain[operand]?.last }

  /// Bandwidth in bytes per cycle of all instances of a level.
  func bytesPerCycle(_ index: Int, write: Bool) -> Double {
    let level = device.memory[index]
    let bandwidth = write ? level.writeBandwidth : level.readBandwidth
    return bandwidth * Double(max(1, level.instances)) / max(device.clock, 1)
  }

  /// Cycles a level needs to read and write the given bits.
  func levelCycles(_ index: Int, readBits: Double, writeBits: Double) -> Double
  {
    rates(of: index).cycles(readBits: readBits, writeBits: writeBits)
  }

  /// A level's bandwidths, looked up once (the tile search prices
  /// thousands of candidates per layer with them).
  func rates(of index: Int) -> LevelRates {
    LevelRates(
      readBytesPerCycle: bytesPerCycle(index, write: false),
      writeBytesPerCycle: bytesPerCycle(index, write: true),
      sharedPort: device.memory[index].sharedPort)
  }

  /// The tile budget of a staging level for the operands it stages, after
  /// reserving resident bits, halved when double-buffered.
  func budget(level index: Int, operands: Set<Operand>, reservedBits: Double)
    -> TileBudget
  {
    let level = device.memory[index]
    let divisor = level.doubleBuffered ? 2.0 : 1.0
    let instances = Double(max(1, level.instances))
    switch level.capacity {
    case .unbounded:
      return TileBudget(operands: operands, pool: .shared(bits: .infinity))
    case .shared(let bytes):
      return TileBudget(
        operands: operands,
        pool: .shared(
          bits: max(0, bytes * instances * 8 - reservedBits) / divisor))
    case .partitioned(let parts):
      var bits: [Operand: Double] = [:]
      for operand in operands {
        bits[operand] = (parts[operand] ?? 0) * instances * 8 / divisor
      }
      return TileBudget(operands: operands, pool: .partitioned(bits))
    }
  }

  /// The budget of one instance of an inner level (not reserved).
  func instanceBudget(level index: Int) -> TileBudget {
    let level = device.memory[index]
    let divisor = level.doubleBuffered ? 2.0 : 1.0
    switch level.capacity {
    case .unbounded:
      return TileBudget(operands: level.holds, pool: .shared(bits: .infinity))
    case .shared(let bytes):
      return TileBudget(
        operands: level.holds, pool: .shared(bits: bytes * 8 / divisor))
    case .partitioned(let parts):
      return TileBudget(
        operands: level.holds,
        pool: .partitioned(parts.mapValues { $0 * 8 / divisor }))
    }
  }
}

/// Bandwidths of all instances of one level, in bytes per cycle.
struct LevelRates {
  var readBytesPerCycle: Double
  var writeBytesPerCycle: Double
  /// Reads and writes share one port (their times add up).
  var sharedPort: Bool

  /// Cycles to read and write the given bits.
  func cycles(readBits: Double, writeBits: Double) -> Double {
    let read = readBits / 8 / readBytesPerCycle
    let write = writeBits / 8 / writeBytesPerCycle
    let r = read.isFinite ? read : 0
    let w = write.isFinite ? write : 0
    return sharedPort ? r + w : max(r, w)
  }
}

extension LoopNest {
  /// The share of the nest one of `instances` identical memory instances
  /// serves, dividing the loops the spatial unrolling spreads over them
  /// (whole axes first, outermost first; otherwise P, then M, then Q).
  func perInstance(_ instances: Int, unrolling: SpatialUnrolling) -> (
    nest: LoopNest, used: Int
  ) {
    guard instances > 1 else { return (self, 1) }
    var factors: [LoopDimension: Int] = [:]
    var product = 1
    for axis in unrolling.axes where product * axis.size <= instances {
      product *= axis.size
      for (d, f) in axis.factors { factors[d, default: 1] *= f }
      if product == instances { break }
    }
    if product != instances {
      factors = [:]
      var remaining = instances
      for d in [LoopDimension.p, .m, .q, .g, .n] where remaining > 1 {
        let f = Swift.min(self[d], remaining)
        factors[d] = f
        remaining = (remaining + f - 1) / f
      }
    }
    var copy = self
    var used = 1
    for (d, f) in factors where f > 1 {
      let share = (self[d] + f - 1) / f
      used *= (self[d] + share - 1) / share
      switch d {
      case .g: copy.groups = share
      case .n: copy.batch = share
      case .m: copy.outputChannels = share
      case .c: copy.inputChannels = share
      case .p: copy.outputRows = share
      case .q: copy.outputColumns = share
      case .r: copy.kernelRows = share
      case .s: copy.kernelColumns = share
      }
    }
    copy.inputRows = copy.inputRows(forOutputRows: copy.outputRows)
    copy.inputColumns = copy.inputColumns(forOutputColumns: copy.outputColumns)
    return (copy, Swift.max(1, Swift.min(used, instances)))
  }
}
