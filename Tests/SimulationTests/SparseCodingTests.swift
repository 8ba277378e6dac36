import HardwareModel
import TestSupport
import Testing

/// The closed forms of `SparseCoding` against an obviously-correct encoder.
@Suite struct SparseCodingTests {
  /// Encodes a seeded random stream entry by entry: each nonzero costs one
  /// entry plus one filler per full `2^fieldBits` zeros before it.
  static func encodedEntries(
    elements: Int, density: Double, fieldBits: Int, seed: UInt64
  ) -> (entries: Int, nonzeros: Int) {
    var g = SplitMix64(seed: seed)
    let span = 1 << fieldBits
    var entries = 0
    var nonzeros = 0
    var zeros = 0
    for _ in 0..<elements {
      if Double.random(in: 0..<1, using: &g) < density {
        entries += 1 + zeros / span
        nonzeros += 1
        zeros = 0
      } else {
        zeros += 1
      }
    }
    return (entries, nonzeros)
  }

  @Test(arguments: [0.02, 0.1, 0.3, 0.5, 0.9])
  func closedFormMatchesAnEncoder(density: Double) {
    for bits in [2, 4, 5, 8] {
      let n = 400_000
      let (counted, nonzeros) = Self.encodedEntries(
        elements: n, density: density, fieldBits: bits, seed: 7)
      // Entries per nonzero, so that the binomial noise of the nonzero
      // count cancels; what is left is the noise of the fillers.
      #expect(abs(Double(nonzeros) / Double(n) - density) < 0.05 * density)
      let perNonzero =
        SparseCoding.entriesPerElement(density: density, fieldBits: bits)
        / density
      let expected = perNonzero * Double(nonzeros)
      // Fillers per nonzero are geometric (p = 1 − (1 − d)^S): allow five
      // standard deviations of their sum.
      let p = 1 / perNonzero
      let sd = (Double(nonzeros) * (1 - p) / (p * p)).squareRoot()
      #expect(
        abs(Double(counted) - expected) <= 5 * sd + 1e-9 * expected,
        "density \(density), \(bits) bits: \(counted) vs \(expected)")
    }
  }

  @Test func extremes() {
    #expect(SparseCoding.entriesPerElement(density: 1, fieldBits: 4) == 1)
    #expect(
      SparseCoding.entriesPerElement(density: 0, fieldBits: 4) == 1.0 / 16)
    // Continuous at 0: a run of zeros costs a filler per 2^b elements.
    let tiny = SparseCoding.entriesPerElement(density: 1e-9, fieldBits: 4)
    #expect(abs(tiny - 1.0 / 16) < 1e-6)
    // Out-of-range densities are clamped, never a trap.
    #expect(SparseCoding.entriesPerElement(density: 2, fieldBits: 4) == 1)
    #expect(
      SparseCoding.entriesPerElement(density: -1, fieldBits: 4) == 1.0 / 16)
    #expect(
      SparseCoding.entriesPerElement(density: 0.5, fieldBits: 99).isFinite)
  }

  /// Eyeriss' format (JSSC 2017 §V-C) on half-zero data.
  ///
  /// Three pairs of a 5-bit run and a 16-bit level per 64-bit word. Half-zero data: 0.5 entries per element
  /// (runs of 32 zeros are negligible), 64/3 bits each, so 2/3 of 16 bits.
  @Test func eyerissRunLengthCodingOfHalfZeroData() {
    let coding = RunLengthCoding(defaultDensity: 0.5)
    #expect(coding.problem(activationBits: 16) == nil)
    let bits = coding.codedBits(
      elements: 3_000, activationBits: 16, density: 0.5)
    #expect(abs(bits / (3_000 * 16) - 2.0 / 3) < 1e-9)
    // 17-bit values overflow the 21-bit pair; 16-bit levels cannot hold them.
    #expect(coding.problem(activationBits: 17) != nil)
    #expect(
      RunLengthCoding(levelBits: 8, defaultDensity: 0.5).problem(
        activationBits: 16) != nil)
  }

  @Test func weightCodingCountsIndicesValuesAndTheCodebook() {
    // 1000 weights, all kept, 4-bit indices, 5-bit clusters, no Huffman:
    // 1000 × (5 + 4) bits plus a 32-entry codebook of 8-bit values.
    let dense = SparseWeightCoding(
      defaults: .init(density: 1, indexBits: 4, clusterBits: 5))
    let denseBits: Double = 1000 * 9 + 32 * 8
    #expect(
      dense.codedBits(elements: 1000, weightBits: 8, layer: "x") == denseBits)
    // Huffman scales the streams, not the codebook.
    let huffman = SparseWeightCoding(
      defaults: .init(density: 1, indexBits: 4, clusterBits: 5, huffman: 0.5))
    let huffmanBits: Double = 1000 * 9 * 0.5 + 32 * 8
    #expect(
      huffman.codedBits(elements: 1000, weightBits: 8, layer: "x")
        == huffmanBits)
    // Without sharing each kept weight is stored at its width, no codebook.
    let pruned = SparseWeightCoding(
      defaults: .init(density: 1, indexBits: 4), layers: [:])
    #expect(pruned.codedBits(elements: 10, weightBits: 8, layer: "x") == 120)
    #expect(pruned.codedBits(elements: 0, weightBits: 8, layer: "x") == 0)
  }
}
