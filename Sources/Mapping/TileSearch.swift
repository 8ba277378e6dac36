import HardwareModel

/// What one on-chip level offers a tile: bits per operand, shared or
/// partitioned, after double buffering and reservations.
public struct TileBudget: Hashable, Sendable {
  /// How the capacity is split.
  public enum Pool: Hashable, Sendable {
    /// One pool shared by the held operands, in bits.
    case shared(bits: Double)
    /// Bits per operand.
    case partitioned([Operand: Double])
  }

  /// The operands this budget constrains (the ones the level stages).
  public var operands: Set<Operand>
  /// The usable capacity (already halved when double-buffered).
  public var pool: Pool

  /// Creates a budget.
  public init(operands: Set<Operand>, pool: Pool) {
    self.operands = operands
    self.pool = pool
  }

  /// Whether a tiling's tiles fit, skipping operands already resident.
  public func admits(
    _ tiling: Tiling, nest: LoopNest, bits: OperandBits, resident: Set<Operand>
  ) -> Bool {
    switch pool {
    case .shared(let capacity):
      var used = 0.0
      for operand in operands where !resident.contains(operand) {
        used += tiling.footprintBits(of: operand, nest: nest, bits: bits)
      }
      return used <= capacity
    case .partitioned(let parts):
      for operand in operands where !resident.contains(operand) {
        let footprint = tiling.footprintBits(
          of: operand, nest: nest, bits: bits)
        if footprint > (parts[operand] ?? 0) { return false }
      }
      return true
    }
  }
}

/// One feasible tiling with its traffic to the parent level.
public struct CandidateMapping: Hashable, Sendable {
  /// Tile sizes and loop order.
  public var tiling: Tiling
  /// The traffic it causes.
  public var traffic: LevelTraffic
}

/// A small, fast search for tilings that fit a level.
///
/// Rather than brute force over every divisor (Timeloop's mapspace) this
/// enumerates, per tiled loop, the sizes `ceil(D / 2^k)` (at most
/// ``maximumCandidatesPerLoop`` of them, always including 1 and D), and for
/// each tile shape only the six loop orders that make one operand
/// stationary first, then a second (the weight-, input- and
/// output-stationary families of Chen et al., ISCA 2016). Shapes that do not
/// fit are dropped before orders are tried. The candidate set depends only
/// on the layer, never on the capacity, so a larger buffer only ever adds
/// candidates: the best one can never get worse.
///
/// - Complexity: at most `8·8·6·4·6·6` shapes for a grouped, batched layer,
///   typically a few hundred.
public enum TileSearch {
  /// The largest number of sizes tried per loop.
  public static let maximumCandidatesPerLoop = 8

  /// The candidate sizes for a loop of `extent`: `ceil(extent / 2^k)`,
  /// largest first; fewer for the output columns and batch loops.
  public static func candidates(
    extent: Int, limit: Int = maximumCandidatesPerLoop
  ) -> [Int] {
    var values: [Int] = []
    var divisor = 1
    while values.count < limit - 1 {
      let value = (extent + divisor - 1) / divisor
      if values.last != value { values.append(value) }
      if value == 1 { break }
      divisor *= 2
    }
    if values.last != 1 { values.append(1) }
    return values
  }

  /// The loop orders tried, outermost first: groups outermost, then for each
  /// permutation of operand priorities the loops irrelevant to the first
  /// operand innermost, then those irrelevant to the second.
  public static let orders: [[LoopDimension]] = {
    let irrelevant: [Operand: [LoopDimension]] = [
      .weights: [.q, .p, .n], .inputs: [.m], .outputs: [.c],
    ]
    let priorities: [[Operand]] = [
      [.weights, .inputs, .outputs], [.weights, .outputs, .inputs],
      [.inputs, .weights, .outputs], [.inputs, .outputs, .weights],
      [.outputs, .weights, .inputs], [.outputs, .inputs, .weights],
    ]
    return priorities.map { priority in
      var innerFirst: [LoopDimension] = []
      for operand in priority {
        for d in irrelevant[operand] ?? [] where !innerFirst.contains(d) {
          innerFirst.append(d)
        }
      }
      for d in [LoopDimension.q, .p, .n, .m, .c, .g]
      where !innerFirst.contains(d) {
        innerFirst.append(d)
      }
      return innerFirst.reversed()
    }
  }()

  /// The orders of ``orders`` as indices into ``LoopDimension/tiled``.
  static let orderIndices: [[Int]] = orders.map {
    $0.map { $0.bit.trailingZeroBitCount }
  }

  /// ``orders`` packed as ``PackedTiling/packedOrder`` (every tiled loop,
  /// outermost in the highest nibble), so the search loop holds no arrays.
  static let packedOrders: [UInt64] = orderIndices.map { indices in
    indices.reduce(UInt64(1)) { $0 << 4 | UInt64($1) }
  }

  /// Every feasible (tile shape, loop order) with its traffic.
  ///
  /// - Parameters:
  ///   - nest: The layer.
  ///   - bits: Operand widths.
  ///   - budgets: Capacity constraints of the levels the tiles must fit.
  ///   - resident: Operands already on chip: no footprint, no fills.
  ///   - slidingWindow: The level keeps overlapping input windows along its
  ///     innermost loop (``Tiling/traffic(nest:bits:skipping:slidingWindow:)``).
  /// - Returns: The candidates, in a deterministic order; empty when even
  ///   the smallest tile does not fit.
  public static func feasible(
    nest: LoopNest, bits: OperandBits, budgets: [TileBudget],
    resident: Set<Operand> = [], slidingWindow: Bool = false
  ) -> [CandidateMapping] {
    var result: [CandidateMapping] = []
    forEachFeasible(
      nest: nest, bits: bits, budgets: budgets, resident: resident,
      slidingWindow: slidingWindow
    ) {
      result.append(CandidateMapping(tiling: $0.tiling(of: nest), traffic: $1))
    }
    return result
  }

  /// ``feasible(nest:bits:budgets:resident:slidingWindow:)`` in packed form:
  /// the same candidates in the same order, without an allocation per
  /// candidate.
  package static func packedFeasible(
    nest: LoopNest, bits: OperandBits, budgets: [TileBudget],
    resident: Set<Operand> = [], slidingWindow: Bool = false
  ) -> [PackedCandidate] {
    var result: [PackedCandidate] = []
    result.reserveCapacity(256)
    packedFeasible(
      nest: nest, bits: bits, budgets: budgets, resident: resident,
      slidingWindow: slidingWindow, into: &result)
    return result
  }

  /// ``packedFeasible(nest:bits:budgets:resident:slidingWindow:)`` into
  /// `result`, which is emptied first and keeps its capacity: a caller that
  /// maps many layers reuses one buffer instead of growing a fresh array
  /// (and faulting in fresh pages) per layer.
  package static func packedFeasible(
    nest: LoopNest, bits: OperandBits, budgets: [TileBudget],
    resident: Set<Operand> = [], slidingWindow: Bool = false,
    into result: inout [PackedCandidate]
  ) {
    result.removeAll(keepingCapacity: true)
    forEachFeasible(
      nest: nest, bits: bits, budgets: budgets, resident: resident,
      slidingWindow: slidingWindow
    ) { result.append(PackedCandidate(tiling: $0, traffic: $1)) }
  }

  /// Calls `body` with every feasible (tile shape, loop order) and its
  /// traffic, in the order of ``feasible(nest:bits:budgets:resident:slidingWindow:)``.
  ///
  /// Shapes are enumerated largest first per loop (`g` outermost, `q`
  /// innermost); a shape whose tiles do not fit every budget is dropped
  /// before its orders are tried, and orders that collapse to the same
  /// effective order (loops with one tile drop out) are kept once.
  static func forEachFeasible(
    nest: LoopNest, bits: OperandBits, budgets: [TileBudget],
    resident: Set<Operand>,
    slidingWindow: Bool, _ body: (PackedTiling, LevelTraffic) -> Void
  ) {
    let g = candidates(extent: nest.groups)
    let n = candidates(extent: nest.batch, limit: 4)
    let m = candidates(extent: nest.outputChannels)
    let c = candidates(extent: nest.inputChannels)
    let p = candidates(extent: nest.outputRows, limit: 6)
    let q = candidates(extent: nest.outputColumns, limit: 4)
    // The budgets' checks, hoisted: the constrained operands that are not
    // resident, in the order `TileBudget.admits` visits them.
    struct Check {
      var shared: Bool
      var capacity: Double
      var operands: [(operand: Operand, capacity: Double)]
    }
    let checks: [Check] = budgets.map { budget in
      let operands = Array(budget.operands).filter { !resident.contains($0) }
      switch budget.pool {
      case .shared(let capacity):
        return Check(
          shared: true, capacity: capacity, operands: operands.map { ($0, 0) })
      case .partitioned(let parts):
        return Check(
          shared: false, capacity: 0,
          operands: operands.map { ($0, parts[$0] ?? 0) })
      }
    }
    let skipWeights = resident.contains(.weights)
    let skipInputs = resident.contains(.inputs)
    let skipOutputs = resident.contains(.outputs)
    let packedOrders = Self.packedOrders
    var seenOrders: [UInt64] = []
    seenOrders.reserveCapacity(packedOrders.count)
    for tg in g {
      for tn in n {
        for tm in m {
          for tc in c {
            for tp in p {
              for tq in q {
                var tile = TileShape(g: tg, n: tn, m: tm, c: tc, p: tp, q: tq)
                var counts = TileShape()
                for d in LoopDimension.tiled {
                  tile[d] = min(max(1, tile[d]), nest[d])
                  counts[d] = (nest[d] + tile[d] - 1) / tile[d]
                }
                let split = counts.c > 1
                var fits = true
                for check in checks where fits {
                  if check.shared {
                    var used = 0.0
                    for (operand, _) in check.operands {
                      used += PackedTiling.footprintBits(
                        of: operand, tile: tile, splitReduction: split,
                        nest: nest, bits: bits)
                    }
                    fits = used <= check.capacity
                  } else {
                    for (operand, capacity) in check.operands {
                      let footprint = PackedTiling.footprintBits(
                        of: operand, tile: tile, splitReduction: split,
                        nest: nest, bits: bits)
                      if footprint > capacity {
                        fits = false
                        break
                      }
                    }
                  }
                }
                guard fits else { continue }
                seenOrders.removeAll(keepingCapacity: true)
                let tileCount = PackedTiling.tileCount(counts)
                for order in packedOrders {
                  let tiling = PackedTiling(
                    clampedTile: tile, counts: counts, fullOrder: order,
                    tileCount: tileCount)
                  guard !seenOrders.contains(tiling.packedOrder) else {
                    continue
                  }
                  seenOrders.append(tiling.packedOrder)
                  body(
                    tiling,
                    tiling.traffic(
                      nest: nest, bits: bits, skipWeights: skipWeights,
                      skipInputs: skipInputs,
                      skipOutputs: skipOutputs, slidingWindow: slidingWindow))
                }
              }
            }
          }
        }
      }
    }
  }

  /// The feasible candidate with the least traffic (ties: fewer tiles, then
  /// enumeration order), weighting fills and write-backs by `cost`.
  ///
  /// Used for inner levels, whose choice changes on-chip traffic (energy)
  /// but not DRAM traffic. `slidingWindow` as in
  /// ``feasible(nest:bits:budgets:resident:slidingWindow:)``.
  public static func leastTraffic(
    nest: LoopNest, bits: OperandBits, budgets: [TileBudget],
    resident: Set<Operand> = [], slidingWindow: Bool = false,
    cost: (LevelTraffic) -> Double = { $0.totalBits }
  ) -> CandidateMapping? {
    var best: (PackedCandidate, Double)?
    forEachFeasible(
      nest: nest, bits: bits, budgets: budgets, resident: resident,
      slidingWindow: slidingWindow
    ) { tiling, traffic in
      let value = cost(traffic)
      if let current = best {
        if value < current.1
          || (value == current.1
            && tiling.tileCount < current.0.tiling.tileCount)
        {
          best = (PackedCandidate(tiling: tiling, traffic: traffic), value)
        }
      } else {
        best = (PackedCandidate(tiling: tiling, traffic: traffic), value)
      }
    }
    return best.map {
      CandidateMapping(
        tiling: $0.0.tiling.tiling(of: nest), traffic: $0.0.traffic)
    }
  }
}
