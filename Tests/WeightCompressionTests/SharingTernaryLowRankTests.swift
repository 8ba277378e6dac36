import Testing
import WeightCompression

/// Hand-computed cases of COMPRESSION.md §3, §5 and §6.
@Suite struct SharingTernaryLowRankTests {
  /// K = 3, init 1, 6.5, 12; the middle cluster stays empty and keeps 6.5;
  /// the second assignment changes nothing.
  @Test func kMeansLinearInitAndEmptyCluster() {
    let c = WeightSharing.cluster([1, 2, 0, 3, 10, 11, 12], bits: 2)
    #expect(c.centroids == [2, 6.5, 11])
    #expect(c.indices == [1, 1, 0, 1, 3, 3, 3])
    #expect(c.iterations == 1)
    #expect(c.decoded == [2, 2, 0, 2, 11, 11, 11])
  }

  @Test func kMeansWithOneCentroid() {
    let c = WeightSharing.cluster([1, 2, 3, 10, 11, 12], bits: 1)
    #expect(c.centroids == [6.5])
    #expect(c.indices == [1, 1, 1, 1, 1, 1])
  }

  @Test func kMeansCapsKAtDistinctValues() {
    let c = WeightSharing.cluster([-1, 1, -1, 0], bits: 3)
    #expect(c.centroids == [-1, 1])
    #expect(c.indices == [1, 2, 1, 0])
  }

  @Test func nearestTiesGoToTheLowerIndex() {
    #expect(WeightSharing.nearest(2, in: [1, 3]) == 0)
    #expect(WeightSharing.nearest(2.5, in: [1, 3, 5]) == 1)
    #expect(WeightSharing.nearest(9, in: [1, 3, 5]) == 2)
    #expect(WeightSharing.nearest(-9, in: [1, 3, 5]) == 0)
  }

  @Test func ternaryWithThresholdAndTWN() {
    let w: [Float] = [0.9, -0.6, 0.02, -0.01, 0.5, 0]
    for threshold in [TernaryThreshold.fraction(0.05), .twn] {
      let t = Ternary.ternarise(w, threshold: threshold)
      #expect(t.indices == [1, 2, 0, 0, 1, 0])
      #expect(t.positive == (Double(Float(0.9)) + Double(Float(0.5))) / 2)
      #expect(t.negative == Double(Float(0.6)))
    }
    let t = Ternary.ternarise(w, threshold: .fraction(0.05))
    #expect(t.threshold == 0.05 * Double(Float(0.9)))
  }

  @Test func ternaryScaleOfAnEmptySignIsZero() {
    let t = Ternary.ternarise([1, 0.5, 0], threshold: .fraction(0.1))
    #expect(t.negative == 0)
    #expect(t.indices == [1, 1, 0])
  }

  /// W = u vᵀ with u = (1, 2, 3), v = (1, 2): rank 1 reproduces it, A's
  /// largest entry is positive, and rank 2 would not save MACs (2 · 5 ≥ 6).
  @Test func gemmTruncatedSVD() throws {
    let w: [Float] = [1, 2, 2, 4, 3, 6]
    let layer = WeightLayer(name: "fc", kind: .gemm, shape: [3, 2], weights: w)
    let f = try LowRankFactorization.factor(layer, .rank(1)).get()
    #expect(f.firstShape == [3, 1])
    #expect(f.secondShape == [1, 2])
    #expect(f.first[2] > 0)
    for k in 0..<3 {
      for m in 0..<2 {
        #expect(abs(f.first[k] * f.second[m] - w[k * 2 + m]) < 1e-5)
      }
    }
    let sigma = (14.0 * 5).squareRoot()
    #expect(
      abs(Double(f.first[2]) - 3 / 14.0.squareRoot() * sigma.squareRoot())
        < 1e-6)
    #expect(
      LowRankFactorization.factor(layer, .rank(2))
        == .failure(.noSaving(rank: 2)))
    #expect(
      LowRankFactorization.factor(layer, .rank(3))
        == .failure(.rankTooLarge(3, maximum: 2)))
    let e = try LowRankFactorization.factor(layer, .energy(0.99)).get()
    #expect(e.rank == 1)
  }

  /// transB: the weight is stored (M, K) and factored as its transpose.
  @Test func transposedGemmAndConvLayouts() throws {
    let t = WeightLayer(
      name: "fc", kind: .gemm, shape: [2, 3], weights: [1, 2, 3, 2, 4, 6],
      transposed: true)
    let f = try LowRankFactorization.factor(t, .rank(1)).get()
    #expect(f.firstShape == [3, 1])
    #expect(abs(f.first[1] * f.second[1] - 4) < 1e-5)
    // Conv (M=4, C=1, 2×2): filters are multiples of (1, -2, 3, -4).
    let base: [Float] = [1, -2, 3, -4]
    let conv = WeightLayer(
      name: "c", kind: .conv, shape: [4, 1, 2, 2],
      weights: [1, 2, -1, 3].flatMap { s in base.map { $0 * s } })
    let g = try LowRankFactorization.factor(conv, .rank(1)).get()
    #expect(g.firstShape == [1, 1, 2, 2])
    #expect(g.secondShape == [4, 1, 1, 1])
    #expect(g.first[3] > 0)  // largest magnitude entry positive
    #expect(abs(g.second[2] * g.first[0] - (-1)) < 1e-5)
  }
}
