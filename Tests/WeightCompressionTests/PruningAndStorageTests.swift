import Testing
import WeightCompression

/// Hand-computed cases of COMPRESSION.md §2 and §4.
@Suite struct PruningAndStorageTests {
  @Test func keptCountRoundsHalfToEven() {
    #expect(Pruning.keptCount(density: 0.25, count: 10) == 2)  // 2.5
    #expect(Pruning.keptCount(density: 0.75, count: 10) == 8)  // 7.5
    #expect(Pruning.keptCount(density: 0.01, count: 10) == 1)  // at least 1
    #expect(Pruning.keptCount(density: 1, count: 10) == 10)
  }

  @Test func equalMagnitudesKeepTheLowerIndex() {
    let w: [Float] = [0.5, -0.5, 0.1, 0.3, -0.3, 0]
    #expect(Pruning.prune(w, density: 0.5) == [0.5, -0.5, 0, 0.3, 0, 0])
    #expect(Pruning.prune(w, density: 0.25) == [0.5, -0.5, 0, 0, 0, 0])
  }

  /// p = 2: a gap of 4 needs one filler, a gap of 8 two; trailing zeros are
  /// not stored.
  @Test func fillersAndSizesWithoutHuffman() {
    let s: [UInt32] = [0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0]
    let storage = SparseStorage(
      symbols: s, indexBits: 2, valueBits: 3, huffman: false)
    #expect(storage.entries == 5)
    #expect(storage.fillers == 3)
    #expect(storage.form == .sparse)
    #expect(storage.streamBits == 25)  // 5 · (2 + 3) < 16 · 3
  }

  /// Sparse: gaps {3: 3, 0: 2} → 5 bits, values {0: 3, 5: 1, 7: 1} → 7
  /// bits, table 5 · 8; dense: values {0: 14, 5: 1, 7: 1} → 18 bits, table
  /// 3 · 8 = 42 < 52, so dense.
  @Test func huffmanSizesPickTheSmallerForm() {
    let s: [UInt32] = [0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0]
    let storage = SparseStorage(
      symbols: s, indexBits: 2, valueBits: 3, huffman: true)
    #expect(storage.entries == 5)
    #expect(storage.form == .dense)
    #expect(storage.gapHuffmanBits == 0)
    #expect(storage.valueHuffmanBits == 18)
    #expect(storage.tableBits == 24)
    #expect(storage.streamBits == 42)
  }

  @Test func aTieGoesToDense() {
    // 4 entries · (1 + 1) = 8 = 8 · 1.
    let s: [UInt32] = [1, 1, 1, 1, 0, 0, 0, 0]
    let storage = SparseStorage(
      symbols: s, indexBits: 1, valueBits: 1, huffman: false)
    #expect(storage.form == .dense)
    #expect(storage.streamBits == 8)
  }

  @Test func huffmanStreamBits() {
    #expect(HuffmanSize.streamBits(counts: [5]) == 5)
    #expect(HuffmanSize.streamBits(counts: [3, 1, 1]) == 7)
    // 1,1,2,4 → 2, 4, 8: lengths 3,3,2,1 → 3+3+4+4 = 14.
    #expect(HuffmanSize.streamBits(counts: [1, 1, 2, 4, 0]) == 14)
    #expect(HuffmanSize.streamBits(counts: [Int]()) == 0)
  }

  /// The radix selection against a sort, on seeded weights with many ties
  /// and both signs, at several densities.
  @Test func pruningAgreesWithASortOracle() {
    var state: UInt64 = 17
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    for trial in 0..<20 {
      let n = 1 + Int(next() % 500)
      let levels = trial % 2 == 0 ? 7 : 100_000
      let w = (0..<n).map { _ in
        Float(Int(next() % UInt64(2 * levels + 1)) - levels) / 8
      }
      for density in [0.01, 0.3, 0.5, 0.77, 1] {
        let k = Pruning.keptCount(density: density, count: n)
        let order = w.indices.sorted {
          (w[$0].magnitude, -$0) > (w[$1].magnitude, -$1)
        }
        var want = [Float](repeating: 0, count: n)
        for i in order.prefix(k) { want[i] = w[i] }
        #expect(
          Pruning.prune(w, density: density) == want,
          "trial \(trial), n \(n), density \(density)")
      }
    }
  }
}
