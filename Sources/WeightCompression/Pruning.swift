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
  /// - Complexity: O(n log n) for the sort of magnitudes.
  public static func prune(_ weights: [Float], density: Double) -> [Float] {
    let n = weights.count
    let k = keptCount(density: density, count: n)
    guard k < n else { return weights }
    var magnitudes = weights.map { $0.magnitude }
    magnitudes.sort(by: >)
    let threshold = magnitudes[k - 1]
    var above = 0
    for m in magnitudes {
      guard m > threshold else { break }
      above += 1
    }
    var equalLeft = k - above
    var result = [Float](repeating: 0, count: n)
    for i in 0..<n {
      let m = weights[i].magnitude
      if m > threshold {
        result[i] = weights[i]
      } else if m == threshold, equalLeft > 0 {
        result[i] = weights[i]
        equalLeft -= 1
      }
    }
    return result
  }
}
