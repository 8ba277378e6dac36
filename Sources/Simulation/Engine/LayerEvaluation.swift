import HardwareModel
import Mapping
import PrecisionModel

/// What the engine knows about a layer before choosing its mapping.
struct LayerContext {
  var layer: Layer
  var widths: LayerWidths
  var bits: OperandBits
  var rate: ExecutionRate
  var efficiency: Double
  /// Operands already on chip (no backing-store traffic, no tile space).
  var resident: Set<Operand>
  /// Bits reserved at the resident level by tensors kept on chip.
  var reservedBits: Double
  /// What DRAM coding leaves of the backing-store traffic.
  var dram: DRAMScale = .raw
  /// The share of the MAC cycles left by skipped zeros
  /// (``RunEngine/zeroShares(of:)``).
  var computeShare: Double = 1
}

/// Everything a MAC layer's evaluation depends on within one run (the
/// device and the options are fixed for the run), so that layers with equal
/// keys share one mapping search.
///
/// `MACLayerEvaluator.evaluate` reads the nest, the operand widths, the
/// execution rate, the calibration factor, whether the layer is depthwise
/// (the compute models lower it differently), the operands already on chip
/// and the bits other tensors reserve at the resident level. The reserved
/// bits only matter when that level stages a tile; otherwise they are left
/// out (0) so that more layers share a key. The DRAM coding factors scale
/// the backing-store traffic. The layer's name is read only
/// for failures, which are never cached.
struct MACEvaluationKey: Hashable {
  var nest: LoopNest
  var bits: OperandBits
  var rate: ExecutionRate
  var efficiency: Double
  var depthwise: Bool
  /// Resident operands as a bit set (weights 1, inputs 2, outputs 4).
  var resident: Int
  var reservedBits: Double
  var dram: DRAMScale
  var computeShare: Double

  init(_ context: LayerContext, nest: LoopNest, plan: HierarchyPlan) {
    dram = context.dram
    computeShare = context.computeShare
    self.nest = nest
    bits = context.bits
    rate = context.rate
    efficiency = context.efficiency
    depthwise = context.layer.operatorClass == .depthwise
    resident =
      (context.resident.contains(.weights) ? 1 : 0)
      | (context.resident.contains(.inputs) ? 2 : 0)
      | (context.resident.contains(.outputs) ? 4 : 0)
    reservedBits = plan.reservationLimitsStaging ? context.reservedBits : 0
  }
}

/// A layer's chosen mapping and its timeline.
struct LayerEvaluation {
  var makespan: Double
  var groups: [TileGroup]
  var timeline: TimelineResult
  var dramReadBits: [Operand: Double]
  var dramWriteBits: [Operand: Double]
  /// Per level index (backing store included), bits read and written.
  var levelReads: [[Operand: Double]]
  var levelWrites: [[Operand: Double]]
  var computeCycles: Double
  var levelCycles: [Double]
  var dramCycles: Double
  var tileCount: Int
  var mapping: String
  var spatialUtilization: Double
  var peakMACsPerCycle: Double
  var bufferBits: Double
}

extension LayerEvaluation {
  /// What limits the layer: the busiest of the backing store, the on-chip
  /// levels and the compute units.
  func bound(device: Device) -> Bound {
    var best = (Bound.compute, computeCycles)
    for index in levelCycles.indices
    where index != device.backingStoreIndex && levelCycles[index] > best.1 {
      best = (.onChip(device.memory[index].name), levelCycles[index])
    }
    if dramCycles > best.1 { best = (.dram, dramCycles) }
    return best.0
  }
}

/// Splits `count` tiles into at most `limit` consecutive groups.
func groupBoundaries(count: Int, limit: Int) -> [Int] {
  let groups = max(1, min(count, limit))
  var result: [Int] = [0]
  for j in 1...groups {
    let boundary = Int(
      (Double(count) * Double(j) / Double(groups)).rounded(.down))
    result.append(max(result[result.count - 1], min(count, boundary)))
  }
  return result
}

/// Events of a periodic fetch (every `period` tiles from tile 0) in `[a, b)`.
func fetches(_ a: Int, _ b: Int, period: Int) -> Int {
  let p = max(1, period)
  return (b + p - 1) / p - (a + p - 1) / p
}

/// Events of a periodic drain (after tiles `period − 1`, `2·period − 1`, ...) in `[a, b)`.
func drains(_ a: Int, _ b: Int, period: Int) -> Int {
  let p = max(1, period)
  return b / p - a / p
}
