/// Ternary weights without training (COMPRESSION.md §6; TTQ, ICLR 2017,
/// with TWN's closed-form scales per sign).
public enum Ternary {
  /// The outcome for one layer.
  public struct Levels: Hashable, Sendable {
    /// The threshold Δ.
    public var threshold: Double
    /// The positive scale `Wp` (0 when no weight is above Δ).
    public var positive: Double
    /// The negative scale `Wn` (0 when no weight is below −Δ).
    public var negative: Double
    /// Each weight's symbol: 0 zero, 1 `+Wp`, 2 `−Wn`.
    public var indices: [Int]

    /// The decoded weights, rounded to float32.
    public var decoded: [Float] {
      let table = [Float(0), Float(positive), Float(-negative)]
      return indices.map { table[$0] }
    }
  }

  /// Ternarises `weights` (after pruning): `max|w|` and `mean|w|` over all
  /// of them, zeros included; comparisons with ±Δ are strict (§8).
  public static func ternarise(
    _ weights: [Float], threshold: TernaryThreshold
  ) -> Levels {
    var maximum = 0.0
    var sum = 0.0
    for w in weights {
      let m = Double(w).magnitude
      maximum = max(maximum, m)
      sum += m
    }
    let delta: Double
    switch threshold {
    case .fraction(let t): delta = t * maximum
    case .twn:
      delta = weights.isEmpty ? 0 : 0.7 * (sum / Double(weights.count))
    }
    var indices = [Int](repeating: 0, count: weights.count)
    var positiveSum = 0.0
    var positiveCount = 0
    var negativeSum = 0.0
    var negativeCount = 0
    for (i, w) in weights.enumerated() {
      let v = Double(w)
      if v > delta {
        indices[i] = 1
        positiveSum += v
        positiveCount += 1
      } else if v < -delta {
        indices[i] = 2
        negativeSum += -v
        negativeCount += 1
      }
    }
    return Levels(
      threshold: delta,
      positive: positiveCount > 0 ? positiveSum / Double(positiveCount) : 0,
      negative: negativeCount > 0 ? negativeSum / Double(negativeCount) : 0,
      indices: indices)
  }
}
