import HardwareModel

/// The sizes of one tile: how much of each tiled loop a tile covers.
///
/// Kernel loops (R, S) are never split: a tile always holds whole filter
/// windows, as in SCALE-Sim, Eyeriss and most accelerators.
public struct TileShape: Hashable, Sendable {
  /// Groups per tile.
  public var g: Int
  /// Batch items per tile.
  public var n: Int
  /// Output channels per tile.
  public var m: Int
  /// Input channels per tile.
  public var c: Int
  /// Output rows per tile.
  public var p: Int
  /// Output columns per tile.
  public var q: Int

  /// Creates a tile shape (sizes below 1 are raised to 1).
  public init(
    g: Int = 1, n: Int = 1, m: Int = 1, c: Int = 1, p: Int = 1, q: Int = 1
  ) {
    self.g = max(1, g)
    self.n = max(1, n)
    self.m = max(1, m)
    self.c = max(1, c)
    self.p = max(1, p)
    self.q = max(1, q)
  }

  /// The whole layer as one tile.
  public init(whole nest: LoopNest) {
    self.init(
      g: nest.groups, n: nest.batch, m: nest.outputChannels,
      c: nest.inputChannels,
      p: nest.outputRows, q: nest.outputColumns)
  }

  /// The tile's size along a loop (kernel loops: 0, meaning whole).
  public subscript(dimension: LoopDimension) -> Int {
    get {
      switch dimension {
      case .g: g
      case .n: n
      case .m: m
      case .c: c
      case .p: p
      case .q: q
      case .r, .s: 0
      }
    }
    set {
      switch dimension {
      case .g: g = newValue
      case .n: n = newValue
      case .m: m = newValue
      case .c: c = newValue
      case .p: p = newValue
      case .q: q = newValue
      case .r, .s: break
      }
    }
  }
}

/// Bits that cross one boundary of the hierarchy for one layer: from a
/// parent level into a child (fills), and from the child back (write-backs).
public struct LevelTraffic: Hashable, Sendable {
  /// Weight bits filled into the child.
  public var weightsIn: Double
  /// Input bits filled into the child (halos included).
  public var inputsIn: Double
  /// Partial-sum bits brought back into the child to continue a reduction.
  public var partialSumsIn: Double
  /// Output bits written back to the parent: final outputs and spilled
  /// partial sums.
  public var outputsOut: Double

  /// Creates the figures.
  public init(
    weightsIn: Double, inputsIn: Double, partialSumsIn: Double,
    outputsOut: Double
  ) {
    self.weightsIn = weightsIn
    self.inputsIn = inputsIn
    self.partialSumsIn = partialSumsIn
    self.outputsOut = outputsOut
  }

  /// No traffic.
  public static let zero = LevelTraffic(
    weightsIn: 0, inputsIn: 0, partialSumsIn: 0, outputsOut: 0)

  /// Bits read from the parent (fills and partial sums).
  public var inBits: Double { weightsIn + inputsIn + partialSumsIn }

  /// All bits moved either way.
  public var totalBits: Double { inBits + outputsOut }

  /// Every figure multiplied by `factor` (for identical instances).
  public func scaled(by factor: Double) -> LevelTraffic {
    LevelTraffic(
      weightsIn: weightsIn * factor, inputsIn: inputsIn * factor,
      partialSumsIn: partialSumsIn * factor, outputsOut: outputsOut * factor)
  }
}

/// A temporal mapping of a layer onto one level: tile sizes and the order
/// of the tile loops, with the traffic they cause.
///
/// The traffic follows the reuse analysis of Timeloop (Parashar et al.,
/// ISPASS 2019) and the Eyeriss dataflow taxonomy (Chen et al., ISCA 2016):
/// an operand's tile is fetched again whenever a loop *outside* its
/// innermost relevant loop advances, so the loops irrelevant to an operand
/// that sit innermost make it stationary. A reduction (C) loop outside the
/// output's innermost relevant loop spills partial sums at the accumulator
/// width and reads them back.
public struct Tiling: Hashable, Sendable {
  /// The tile sizes.
  public var tile: TileShape
  /// The tiled loops that iterate more than once, outermost first.
  public var order: [LoopDimension]
  /// Tiles along each loop: `ceil(extent / tile)`.
  public var counts: TileShape
  /// Tiles in all.
  public var tileCount: Int

  /// Creates a tiling of `nest`; `order` lists the tiled loops outermost
  /// first (loops with one tile are dropped from it).
  public init(nest: LoopNest, tile: TileShape, order: [LoopDimension]) {
    var clamped = tile
    var counts = TileShape()
    for d in LoopDimension.tiled {
      clamped[d] = min(max(1, tile[d]), nest[d])
      counts[d] = (nest[d] + clamped[d] - 1) / clamped[d]
    }
    self.tile = clamped
    self.counts = counts
    // A bit set rather than Set<LoopDimension>: this runs for every
    // candidate tiling, and hashing the enum's String raw value dominated.
    var seen: UInt32 = 0
    var kept: [LoopDimension] = []
    kept.reserveCapacity(LoopDimension.tiled.count)
    for d in order where LoopDimension.tiled.contains(d) && counts[d] > 1 {
      if seen & d.bit == 0 {
        seen |= d.bit
        kept.append(d)
      }
    }
    for d in LoopDimension.tiled where counts[d] > 1 && seen & d.bit == 0 {
      kept.insert(d, at: 0)
    }
    self.order = kept
    self.tileCount =
      CheckedProduct.of(LoopDimension.tiled.map { counts[$0] }) ?? Int.max
  }

  /// Tiles between two fetches of an operand's tile: the product of the
  /// counts of the loops inside its innermost relevant loop (the whole run
  /// when no tiled loop is relevant).
  public func period(of operand: Operand) -> Int {
    guard let k = order.lastIndex(where: { $0.isRelevant(to: operand) }) else {
      return tileCount
    }
    var period = 1
    for d in order[(k + 1)...] { period = period &* counts[d] }
    return max(1, period)
  }

  /// How often the whole of an operand is moved: the product of the counts
  /// of irrelevant loops outside its innermost relevant loop.
  public func refetchFactor(of operand: Operand) -> Double {
    guard let k = order.lastIndex(where: { $0.isRelevant(to: operand) }) else {
      return 1
    }
    var factor = 1.0
    for d in order[...k] where !d.isRelevant(to: operand) {
      factor *= Double(counts[d])
    }
    return factor
  }

  /// Footprint of one tile of an operand, in bits; outputs are counted at
  /// the partial-sum width when the reduction is split across tiles.
  public func footprintBits(
    of operand: Operand, nest: LoopNest, bits: OperandBits
  ) -> Double {
    let t = tile
    switch operand {
    case .weights:
      return Double(t.g) * Double(t.m) * Double(t.c) * Double(nest.kernelRows)
        * Double(nest.kernelColumns) * Double(bits.weights)
    case .inputs:
      return Double(t.g) * Double(t.n) * Double(t.c)
        * Double(nest.inputRows(forOutputRows: t.p))
        * Double(nest.inputColumns(forOutputColumns: t.q)) * Double(bits.inputs)
    case .outputs:
      let width = counts.c > 1 ? bits.partialSumBits : bits.outputs
      return Double(t.g) * Double(t.n) * Double(t.m) * Double(t.p) * Double(t.q)
        * Double(width)
    }
  }

  /// The traffic between this level and its parent for the whole layer.
  ///
  /// Inputs are counted with their halos: rows fetched along P are
  /// `(n_P − 1)·rows(t_P) + rows(last tile)`, likewise for Q, so overlapping
  /// windows of neighbouring tiles are fetched twice, as a DMA would.
  ///
  /// With `slidingWindow` (a shift-register buffer, such as the Eyeriss
  /// ifmap scratchpad), consecutive tiles of the innermost tiled loop, when
  /// it is P or Q, keep their overlap: a sweep of that loop fetches each
  /// input row or column once.
  ///
  /// - Parameters:
  ///   - nest: The layer.
  ///   - bits: The operand widths.
  ///   - skipping: Operands already on chip, which cost no fills.
  ///   - slidingWindow: Whether overlapping input windows of consecutive
  ///     tiles along the innermost loop are kept.
  /// - Returns: Bits read from and written to the parent level, per operand.
  public func traffic(
    nest: LoopNest, bits: OperandBits, skipping: Set<Operand> = [],
    slidingWindow: Bool = false
  ) -> LevelTraffic {
    var result = LevelTraffic.zero
    if !skipping.contains(.weights) {
      result.weightsIn =
        nest.elements(.weights) * Double(bits.weights)
        * refetchFactor(of: .weights)
    }
    if !skipping.contains(.inputs) {
      let innermost = slidingWindow ? order.last : nil
      let rows =
        innermost == .p
        ? Double(nest.inputRows(forOutputRows: nest.outputRows))
        : fetched(
          extent: nest.outputRows, tile: tile.p, count: counts.p,
          span: { nest.inputRows(forOutputRows: $0) })
      let columns =
        innermost == .q
        ? Double(nest.inputColumns(forOutputColumns: nest.outputColumns))
        : fetched(
          extent: nest.outputColumns, tile: tile.q, count: counts.q,
          span: { nest.inputColumns(forOutputColumns: $0) })
      result.inputsIn =
        Double(nest.groups) * Double(nest.batch) * Double(nest.inputChannels)
        * rows * columns
        * Double(bits.inputs) * refetchFactor(of: .inputs)
    }
    let outputs = nest.elements(.outputs)
    let spills = refetchFactor(of: .outputs)
    if !skipping.contains(.outputs) {
      result.outputsOut =
        outputs
        * (Double(bits.outputs) + (spills - 1) * Double(bits.partialSumBits))
      result.partialSumsIn =
        outputs * (spills - 1) * Double(bits.partialSumBits)
    }
    return result
  }

  private func fetched(extent: Int, tile: Int, count: Int, span: (Int) -> Int)
    -> Double
  {
    let last = extent - (count - 1) * tile
    return Double(count - 1) * Double(span(tile)) + Double(span(last))
  }
}
