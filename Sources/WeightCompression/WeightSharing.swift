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
  ///   O(K log n · log K) for the boundaries, the weights that change
  ///   cluster, and O(n) for the means.
  public static func cluster(_ weights: [Float], bits: Int) -> Clustering {
    var nonzero: [Int] = []
    for (i, w) in weights.enumerated() where w != 0 { nonzero.append(i) }
    var indices = [Int](repeating: 0, count: weights.count)
    guard !nonzero.isEmpty else {
      return Clustering(centroids: [], indices: indices, iterations: 0)
    }
    // The nonzero weights in flat order (t), and in ascending order (s):
    // one sort of (order-preserving bits, t) keys.
    let values = nonzero.map { Double(weights[$0]) }
    var keys = nonzero.indices.map { t in
      UInt64(orderedBits(weights[nonzero[t]])) << 32 | UInt64(t)
    }
    keys.sort()
    let sortedT = keys.map { Int($0 & 0xFFFF_FFFF) }
    let sorted = sortedT.map { values[$0] }
    var distinctCount = 1
    for s in 1..<sorted.count where sorted[s] != sorted[s - 1] {
      distinctCount += 1
    }
    let k = min((1 << bits) - 1, distinctCount)
    let low = sorted[0]
    let high = sorted[sorted.count - 1]
    var centroids = (1...k).map { i in
      k == 1 ? low : low + (high - low) * Double(i - 1) / Double(k - 1)
    }
    // The nearest centroid rises with the weight (distances are monotone
    // in float64 too), so an assignment is K − 1 boundaries in sorted
    // order: bounds[j] is the first s whose nearest centroid is above j.
    var bounds: [Int] = []
    var cluster = [Int](repeating: 0, count: values.count)
    var iterations = 0
    var assigned = false
    while iterations < maximumIterations {
      let next = (0..<(k - 1)).map { j in
        firstIndex(in: sorted) { nearest($0, in: centroids) > j }
      }
      if assigned, next == bounds { break }
      // Reassign only the weights between an old and a new boundary.
      if !assigned {
        assigned = true
        var j = 0
        for s in sorted.indices {
          while j < k - 1, next[j] <= s { j += 1 }
          cluster[sortedT[s]] = j
        }
      } else {
        for j in 0..<(k - 1) where bounds[j] != next[j] {
          for s in min(bounds[j], next[j])..<max(bounds[j], next[j]) {
            cluster[sortedT[s]] = clusterOf(s, bounds: next)
          }
        }
      }
      bounds = next
      iterations += 1
      var sums = [Double](repeating: 0, count: k)
      var counts = [Int](repeating: 0, count: k)
      for (t, v) in values.enumerated() {
        sums[cluster[t]] += v
        counts[cluster[t]] += 1
      }
      for j in 0..<k where counts[j] > 0 {
        centroids[j] = sums[j] / Double(counts[j])
      }
    }
    for (t, i) in nonzero.enumerated() { indices[i] = cluster[t] + 1 }
    return Clustering(
      centroids: centroids, indices: indices, iterations: iterations)
  }

  /// The first index of ascending `values` where `predicate` (false then
  /// true along the array) holds, or `values.count`.
  static func firstIndex(
    in values: [Double], where predicate: (Double) -> Bool
  ) -> Int {
    var lo = 0
    var hi = values.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if predicate(values[mid]) { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }

  /// The cluster of sorted position `s`: how many boundaries are at or
  /// before it.
  static func clusterOf(_ s: Int, bounds: [Int]) -> Int {
    var lo = 0
    var hi = bounds.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if bounds[mid] <= s { lo = mid + 1 } else { hi = mid }
    }
    return lo
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
