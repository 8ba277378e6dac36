import HardwareModel
import Mapping
import Testing

/// Tilings, their traffic, and the search for tilings that fit a buffer.
@Suite struct TilingTests {
  /// AlexNet's conv3: 384 filters of 192×3×3 over 13×13 outputs.
  static let nest = LoopNest(
    outputChannels: 384, inputChannels: 192, outputRows: 13, outputColumns: 13,
    kernelRows: 3, kernelColumns: 3)
  static let bits = OperandBits(
    weights: 8, inputs: 8, outputs: 8, partialSumBits: 32)
  static let all: Set<Operand> = [.weights, .inputs, .outputs]

  static func shared(kibibytes: Double) -> TileBudget {
    TileBudget(operands: all, pool: .shared(bits: kibibytes * 1024 * 8))
  }

  @Test func tilesAreClampedAndCounted() {
    let tiling = Tiling(
      nest: Self.nest, tile: TileShape(m: 100, c: 1000, p: 5, q: 13),
      order: [.m, .p])
    #expect(tiling.tile.c == 192)
    #expect(tiling.counts.m == 4)  // ceil(384 / 100)
    #expect(tiling.counts.p == 3)  // ceil(13 / 5)
    #expect(tiling.counts.c == 1)
    #expect(tiling.tileCount == 12)
  }

  /// Splitting only the filters moves every operand exactly once.
  @Test func splittingFiltersMovesEachOperandOnce() {
    let tiling = Tiling(
      nest: Self.nest, tile: TileShape(m: 96, c: 192, p: 13, q: 13),
      order: [.m])
    let traffic = tiling.traffic(nest: Self.nest, bits: Self.bits)
    #expect(traffic.weightsIn == Self.nest.elements(.weights) * 8)
    #expect(traffic.inputsIn == Self.nest.elements(.inputs) * 8)
    #expect(traffic.outputsOut == Self.nest.elements(.outputs) * 8)
    #expect(traffic.partialSumsIn == 0)
  }

  /// A reduction loop outside the outputs' relevant loop spills partial
  /// sums; inside it, it does not.
  @Test func reductionOutsideSpillsPartialSums() {
    let tile = TileShape(m: 96, c: 48, p: 13, q: 13)
    let inner = Tiling(nest: Self.nest, tile: tile, order: [.m, .c])
      .traffic(nest: Self.nest, bits: Self.bits)
    let outer = Tiling(nest: Self.nest, tile: tile, order: [.c, .m])
      .traffic(nest: Self.nest, bits: Self.bits)
    #expect(inner.partialSumsIn == 0)
    #expect(outer.partialSumsIn > 0)
    #expect(outer.outputsOut > inner.outputsOut)
  }

  @Test func candidateSizesHalveDownToOne() {
    #expect(TileSearch.candidates(extent: 55) == [55, 28, 14, 7, 4, 2, 1])
    #expect(TileSearch.candidates(extent: 1) == [1])
    let many = TileSearch.candidates(extent: 1000)
    #expect(many.count <= TileSearch.maximumCandidatesPerLoop)
    #expect(many.first == 1000 && many.last == 1)
  }

  /// Every candidate's tiles fit the shared buffer.
  @Test(arguments: [2.0, 16, 64, 256])
  func feasibleTilesFitASharedBuffer(_ kibibytes: Double) {
    let budget = Self.shared(kibibytes: kibibytes)
    let candidates = TileSearch.feasible(
      nest: Self.nest, bits: Self.bits, budgets: [budget])
    #expect(!candidates.isEmpty)
    for candidate in candidates {
      let used = Self.all.map {
        candidate.tiling.footprintBits(of: $0, nest: Self.nest, bits: Self.bits)
      }.reduce(0, +)
      #expect(used <= kibibytes * 1024 * 8)
      #expect(
        budget.admits(
          candidate.tiling, nest: Self.nest, bits: Self.bits, resident: []))
    }
  }

  @Test func feasibleTilesFitEachPartition() {
    let parts: [Operand: Double] = [
      .weights: 8 * 1024 * 8, .inputs: 4 * 1024 * 8, .outputs: 2 * 1024 * 8,
    ]
    let candidates = TileSearch.feasible(
      nest: Self.nest, bits: Self.bits,
      budgets: [TileBudget(operands: Self.all, pool: .partitioned(parts))])
    #expect(!candidates.isEmpty)
    for candidate in candidates {
      for (operand, capacity) in parts {
        #expect(
          candidate.tiling.footprintBits(
            of: operand, nest: Self.nest, bits: Self.bits) <= capacity)
      }
    }
  }

  /// A larger buffer only adds candidates, so the best can never get worse.
  @Test func largerBufferNeverDoesWorse() throws {
    let small = TileSearch.feasible(
      nest: Self.nest, bits: Self.bits,
      budgets: [Self.shared(kibibytes: 8)])
    let large = TileSearch.feasible(
      nest: Self.nest, bits: Self.bits,
      budgets: [Self.shared(kibibytes: 128)])
    #expect(Set(small.map(\.tiling)).isSubset(of: Set(large.map(\.tiling))))
    let bestSmall = try #require(
      TileSearch.leastTraffic(
        nest: Self.nest, bits: Self.bits,
        budgets: [Self.shared(kibibytes: 8)]))
    let bestLarge = try #require(
      TileSearch.leastTraffic(
        nest: Self.nest, bits: Self.bits,
        budgets: [Self.shared(kibibytes: 128)]))
    #expect(bestLarge.traffic.totalBits <= bestSmall.traffic.totalBits)
  }

  /// When the whole layer fits, the best mapping moves each operand once.
  @Test func wholeLayerFitsWithCompulsoryTraffic() throws {
    let best = try #require(
      TileSearch.leastTraffic(
        nest: Self.nest, bits: Self.bits,
        budgets: [Self.shared(kibibytes: 4096)]))
    #expect(best.tiling.tileCount == 1)
    #expect(best.traffic.weightsIn == Self.nest.elements(.weights) * 8)
    #expect(best.traffic.inputsIn == Self.nest.elements(.inputs) * 8)
    #expect(best.traffic.outputsOut == Self.nest.elements(.outputs) * 8)
  }

  @Test func nothingFitsATinyBuffer() {
    let tiny = TileBudget(operands: Self.all, pool: .shared(bits: 8))
    #expect(
      TileSearch.feasible(nest: Self.nest, bits: Self.bits, budgets: [tiny])
        .isEmpty)
    #expect(
      TileSearch.leastTraffic(
        nest: Self.nest, bits: Self.bits, budgets: [tiny]) == nil)
  }

  /// A resident operand takes no room: weights already on chip leave the
  /// whole buffer to the activations.
  @Test func residentOperandsTakeNoRoom() {
    let budget = Self.shared(kibibytes: 16)
    let without = TileSearch.feasible(
      nest: Self.nest, bits: Self.bits, budgets: [budget])
    let resident = TileSearch.feasible(
      nest: Self.nest, bits: Self.bits, budgets: [budget],
      resident: [.weights])
    #expect(resident.count >= without.count)
    #expect(resident.allSatisfy { $0.traffic.weightsIn == 0 })
  }
}
