import HardwareModel

/// A ``Tiling`` in a form that costs no allocation: the loop order packed
/// into one integer, four bits per loop.
///
/// The tile search scores thousands of candidate tilings per layer; a
/// ``Tiling`` keeps its order in an array, so building one per candidate
/// was a heap allocation and a release each. This type computes the same
/// figures with the same floating-point operations in the same order (so
/// results are bit-identical), and is turned into a ``Tiling`` only for the
/// mapping that wins.
///
/// `packedOrder` holds a leading 1 followed by one nibble per tiled loop
/// that iterates more than once, outermost first: the innermost loop is the
/// lowest nibble. A nibble is the loop's index in ``LoopDimension/tiled``
/// (`g` 0, `n` 1, `m` 2, `c` 3, `p` 4, `q` 5), which is also the trailing
/// zero count of its ``LoopDimension/bit``.
package struct PackedTiling: Sendable {
  /// The tile sizes (clamped to the nest).
  package var tile: TileShape
  /// Tiles along each loop.
  package var counts: TileShape
  /// The order, as described above; `1` when no loop iterates.
  package var packedOrder: UInt64
  /// Tiles in all (`Int.max` on overflow, as ``Tiling/tileCount``).
  package var tileCount: Int

  /// Creates the packed form of a tile shape with one of
  /// ``TileSearch/orders`` (given as tiled-loop indices, outermost first).
  ///
  /// Equivalent to `Tiling(nest:tile:order:)` for an order that lists every
  /// tiled loop once.
  package init(nest: LoopNest, tile: TileShape, orderIndices: [Int]) {
    var clamped = tile
    var counts = TileShape()
    for d in LoopDimension.tiled {
      clamped[d] = min(max(1, tile[d]), nest[d])
      counts[d] = (nest[d] + clamped[d] - 1) / clamped[d]
    }
    self.init(clampedTile: clamped, counts: counts, orderIndices: orderIndices)
  }

  /// Creates the packed form from an already clamped tile and its counts.
  init(clampedTile: TileShape, counts: TileShape, orderIndices: [Int]) {
    var full: UInt64 = 1
    for index in orderIndices { full = full << 4 | UInt64(index) }
    self.init(
      clampedTile: clampedTile, counts: counts, fullOrder: full,
      tileCount: Self.tileCount(counts))
  }

  /// Creates the packed form from an already clamped tile, its counts, an
  /// order of every tiled loop packed as ``packedOrder`` is, and the tile
  /// count (``tileCount(_:)``): loops with one tile drop out of the order.
  init(
    clampedTile: TileShape, counts: TileShape, fullOrder: UInt64, tileCount: Int
  ) {
    self.tile = clampedTile
    self.counts = counts
    var key: UInt64 = 1
    var shift = 63 - fullOrder.leadingZeroBitCount - 4
    while shift >= 0 {
      let index = Int((fullOrder >> UInt64(shift)) & 0xF)
      if Self.value(counts, index) > 1 { key = key << 4 | UInt64(index) }
      shift -= 4
    }
    self.packedOrder = key
    self.tileCount = tileCount
  }

  /// Tiles in all for these counts, `Int.max` on overflow.
  static func tileCount(_ counts: TileShape) -> Int {
    var product = 1
    var overflow = false
    for index in 0..<6 {
      let (p, o) = product.multipliedReportingOverflow(by: value(counts, index))
      if o { overflow = true }
      product = p
    }
    return overflow ? Int.max : product
  }

  /// The loop order as ``Tiling`` stores it, outermost first.
  package var order: [LoopDimension] {
    var result: [LoopDimension] = []
    var key = packedOrder
    while key > 1 {
      result.append(LoopDimension.tiled[Int(key & 0xF)])
      key >>= 4
    }
    return result.reversed()
  }

  /// The equivalent ``Tiling`` of `nest`.
  package func tiling(of nest: LoopNest) -> Tiling {
    Tiling(nest: nest, tile: tile, order: order)
  }

  /// Tiled-loop indices relevant to each operand, as 6-bit masks.
  @inline(__always)
  static func relevance(_ operand: Operand) -> UInt64 {
    switch operand {
    case .weights: 0b00_1101  // g m c
    case .inputs: 0b11_1011  // g n c p q
    case .outputs: 0b11_0111  // g n m p q
    }
  }

  /// The size of the tiled loop with index `index` in a shape.
  @inline(__always)
  static func value(_ shape: TileShape, _ index: Int) -> Int {
    switch index {
    case 0: shape.g
    case 1: shape.n
    case 2: shape.m
    case 3: shape.c
    case 4: shape.p
    default: shape.q
    }
  }

  /// As ``Tiling/period(of:)``.
  package func period(of operand: Operand) -> Int {
    let relevant = Self.relevance(operand)
    var period = 1
    var key = packedOrder
    while key > 1 {
      let index = Int(key & 0xF)
      if relevant & (1 << UInt64(index)) != 0 { return max(1, period) }
      period = period &* Self.value(counts, index)
      key >>= 4
    }
    return tileCount
  }

  /// As ``Tiling/refetchFactor(of:)``: the same product, outermost first.
  package func refetchFactor(of operand: Operand) -> Double {
    let relevant = Self.relevance(operand)
    // Nibble position (0 = innermost) of the innermost relevant loop.
    var position = 0
    var key = packedOrder
    while key > 1 {
      if relevant & (1 << (key & 0xF)) != 0 { break }
      position += 1
      key >>= 4
    }
    guard key > 1 else { return 1 }
    let length = (63 - packedOrder.leadingZeroBitCount) / 4
    var factor = 1.0
    var i = length - 1
    while i >= position {
      let index = Int((packedOrder >> UInt64(4 * i)) & 0xF)
      if relevant & (1 << UInt64(index)) == 0 {
        factor *= Double(Self.value(counts, index))
      }
      i -= 1
    }
    return factor
  }

  /// As ``Tiling/footprintBits(of:nest:bits:)``.
  package func footprintBits(
    of operand: Operand, nest: LoopNest, bits: OperandBits
  ) -> Double {
    Self.footprintBits(
      of: operand, tile: tile, splitReduction: counts.c > 1, nest: nest,
      bits: bits)
  }

  /// The footprint of a tile shape (already clamped), as
  /// ``Tiling/footprintBits(of:nest:bits:)``.
  @inline(__always)
  static func footprintBits(
    of operand: Operand, tile t: TileShape, splitReduction: Bool,
    nest: LoopNest, bits: OperandBits
  ) -> Double {
    switch operand {
    case .weights:
      return Double(t.g) * Double(t.m) * Double(t.c) * Double(nest.kernelRows)
        * Double(nest.kernelColumns) * Double(bits.weights)
    case .inputs:
      return Double(t.g) * Double(t.n) * Double(t.c)
        * Double(nest.inputRows(forOutputRows: t.p))
        * Double(nest.inputColumns(forOutputColumns: t.q)) * Double(bits.inputs)
    case .outputs:
      let width = splitReduction ? bits.partialSumBits : bits.outputs
      return Double(t.g) * Double(t.n) * Double(t.m) * Double(t.p) * Double(t.q)
        * Double(width)
    }
  }

  /// As ``Tiling/traffic(nest:bits:skipping:slidingWindow:)``, with the
  /// skipped operands as flags.
  package func traffic(
    nest: LoopNest, bits: OperandBits, skipWeights: Bool, skipInputs: Bool,
    skipOutputs: Bool,
    slidingWindow: Bool
  ) -> LevelTraffic {
    var result = LevelTraffic.zero
    if !skipWeights {
      result.weightsIn =
        nest.elements(.weights) * Double(bits.weights)
        * refetchFactor(of: .weights)
    }
    if !skipInputs {
      // Index of the innermost loop, or -1 when none iterates.
      let innermost =
        slidingWindow && packedOrder > 1 ? Int(packedOrder & 0xF) : -1
      let rows =
        innermost == 4
        ? Double(nest.inputRows(forOutputRows: nest.outputRows))
        : Self.fetchedRows(nest: nest, tile: tile.p, count: counts.p)
      let columns =
        innermost == 5
        ? Double(nest.inputColumns(forOutputColumns: nest.outputColumns))
        : Self.fetchedColumns(nest: nest, tile: tile.q, count: counts.q)
      result.inputsIn =
        Double(nest.groups) * Double(nest.batch) * Double(nest.inputChannels)
        * rows * columns
        * Double(bits.inputs) * refetchFactor(of: .inputs)
    }
    let outputs = nest.elements(.outputs)
    let spills = refetchFactor(of: .outputs)
    if !skipOutputs {
      result.outputsOut =
        outputs
        * (Double(bits.outputs) + (spills - 1) * Double(bits.partialSumBits))
      result.partialSumsIn =
        outputs * (spills - 1) * Double(bits.partialSumBits)
    }
    return result
  }

  @inline(__always)
  static func fetchedRows(nest: LoopNest, tile: Int, count: Int) -> Double {
    let last = nest.outputRows - (count - 1) * tile
    return Double(count - 1) * Double(nest.inputRows(forOutputRows: tile))
      + Double(nest.inputRows(forOutputRows: last))
  }

  @inline(__always)
  static func fetchedColumns(nest: LoopNest, tile: Int, count: Int) -> Double {
    let last = nest.outputColumns - (count - 1) * tile
    return Double(count - 1) * Double(nest.inputColumns(forOutputColumns: tile))
      + Double(nest.inputColumns(forOutputColumns: last))
  }
}

/// A feasible packed tiling with its traffic to the parent level.
package struct PackedCandidate: Sendable {
  /// Tile sizes and loop order.
  package var tiling: PackedTiling
  /// The traffic it causes.
  package var traffic: LevelTraffic
}
