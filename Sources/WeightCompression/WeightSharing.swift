/// Weight sharing by one-dimensional k-means (COMPRESSION.md §3; Deep
/// Compression §3): codebook entry 0 is exactly 0.0, entries 1…K are
/// centroids of the nonzero weights.
public enum WeightSharing {
  /// The outcome of clustering one layer.
  public struct Clustering: Hashable, Sendable {
    /// The centroids of entries 1…K (entry 0, the zero, is implicit).
    public var centroids: [Double]
    /// Each weight's codebook index: 0 for a zero, else 1…K.
    public var indices: [Int]
    /// Lloyd iterations run (assignment then update), at most 100.
    public var iterations: Int

    /// The decoded weights: each index's value rounded to float32.
    public var decoded: [Float] {
      let table = [Float(0)] + centroids.map { Float($0) }
      return indices.map { table[$0] }
    }
  }

  /// The iteration limit of §3.
  public static let maximumIterations = 100

  /// Clusters the nonzero weights into at most `2^bits − 1` centroids.
  ///
  /// Linear initialisation over [min, max] of the nonzero weights; Lloyd
  /// iterations with ties to the lower index; an empty cluster keeps its
  /// value; means in float64 summed in flat order (§8).
  ///
  /// - Complexity: one sort of the nonzero weights, then per iteration
  ///   O(D log K) for D distinct values and O(n) for the means.
  public static func cluster(_ weights: [Float], bits: Int) -> Clustering {
    var nonzero: [Int] = []
    for (i, w) in weights.enumerated() where w != 0 { nonzero.append(i) }
    var indices = [Int](repeating: 0, count: weights.count)
    guard !nonzero.isEmpty else {
      return Clustering(centroids: [], indices: indices, iterations: 0)
    }
    // Distinct values, ascending, and each nonzero weight's distinct id:
    // one sort of (order-preserving bits, index) keys.
    var keys = nonzero.map { i in
      UInt64(orderedBits(weights[i])) << 32 | UInt64(i)
    }
    keys.sort()
    var distinct: [Double] = []
    var distinctOf = [Int](repeating: 0, count: weights.count)
    for key in keys {
      let i = Int(key & 0xFFFF_FFFF)
      let w = Double(weights[i])
      if distinct.last != w { distinct.append(w) }
      distinctOf[i] = distinct.count - 1
    }
    let k = min((1 << bits) - 1, distinct.count)
    let low = distinct[0]
    let high = distinct[distinct.count - 1]
    var centroids = (1...k).map { i in
      k == 1 ? low : low + (high - low) * Double(i - 1) / Double(k - 1)
    }
    var assignment = [Int](repeating: -1, count: distinct.count)
    var iterations = 0
    while iterations < maximumIterations {
      var changed = false
      for (d, w) in distinct.enumerated() {
        let j = nearest(w, in: centroids)
        if assignment[d] != j {
          assignment[d] = j
          changed = true
        }
      }
      if !changed { break }
      iterations += 1
      var sums = [Double](repeating: 0, count: k)
      var counts = [Int](repeating: 0, count: k)
      for i in nonzero {
        let j = assignment[distinctOf[i]]
        sums[j] += Double(weights[i])
        counts[j] += 1
      }
      for j in 0..<k where counts[j] > 0 {
        centroids[j] = sums[j] / Double(counts[j])
      }
    }
    for i in nonzero { indices[i] = assignment[distinctOf[i]] + 1 }
    return Clustering(
      centroids: centroids, indices: indices, iterations: iterations)
  }

  /// A float's bits mapped so that unsigned order is numeric order.
  static func orderedBits(_ x: Float) -> UInt32 {
    let bits = x.bitPattern
    return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
  }

  /// The index of the centroid nearest `w` (by `|w − c|` in float64; the
  /// lower index on a tie) among ascending `centroids`.
  package static func nearest(_ w: Double, in centroids: [Double]) -> Int {
    // First centroid ≥ w; the nearest is it or the one before, then any
    // equal distance further left (distances fall monotonically there).
    var lo = 0
    var hi = centroids.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if centroids[mid] < w { lo = mid + 1 } else { hi = mid }
    }
    var best: Int
    if lo == centroids.count {
      best = lo - 1
    } else if lo == 0 {
      best = 0
    } else {
      let left = (w - centroids[lo - 1]).magnitude
      let right = (w - centroids[lo]).magnitude
      best = right < left ? lo : lo - 1
    }
    let distance = (w - centroids[best]).magnitude
    while best > 0, (w - centroids[best - 1]).magnitude == distance {
      best -= 1
    }
    return best
  }
}
