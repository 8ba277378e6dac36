/// Magnitude pruning (COMPRESSION.md §2; Han et al., NIPS 2015).
public enum Pruning {
  /// The number of weights kept at `density` of `count`:
  /// `round_half_even(density · count)` in float64, at least 1.
  public static func keptCount(density: Double, count: Int) -> Int {
    guard count > 0 else { return 0 }
    let k = Int((density * Double(count)).rounded(.toNearestOrEven))
    return min(count, max(1, k))
  }

  /// Keeps the `keptCount(density:count:)` weights of largest `|w|` (the
  /// lower flat index first among equal magnitudes) and sets the rest to
  /// exactly 0.
  ///
  /// The k-th largest magnitude is found by a two-pass radix selection on
  /// the magnitudes' float32 bit patterns (which order like the values).
  ///
  /// - Complexity: O(n).
  public static func prune(_ weights: [Float], density: Double) -> [Float] {
    let n = weights.count
    let k = keptCount(density: density, count: n)
    guard k < n else { return weights }
    let keys = weights.map { $0.magnitude.bitPattern }
    let threshold = kthLargest(keys, k)
    var above = 0
    for key in keys where key > threshold { above += 1 }
    var equalLeft = k - above
    var result = [Float](repeating: 0, count: n)
    for i in 0..<n {
      if keys[i] > threshold {
        result[i] = weights[i]
      } else if keys[i] == threshold, equalLeft > 0 {
        result[i] = weights[i]
        equalLeft -= 1
      }
    }
    return result
  }

  /// The k-th largest (1-based) of `keys`: the high 16 bits by one
  /// histogram, then the low 16 bits among the keys with those.
  static func kthLargest(_ keys: [UInt32], _ k: Int) -> UInt32 {
    var remaining = k
    var high = [Int](repeating: 0, count: 1 << 16)
    for key in keys { high[Int(key >> 16)] += 1 }
    var h = (1 << 16) - 1
    while high[h] < remaining {
      remaining -= high[h]
      h -= 1
    }
    var low = [Int](repeating: 0, count: 1 << 16)
    for key in keys where Int(key >> 16) == h { low[Int(key & 0xFFFF)] += 1 }
    var l = (1 << 16) - 1
    while low[l] < remaining {
      remaining -= low[l]
      l -= 1
    }
    return UInt32(h) << 16 | UInt32(l)
  }
}
