/// Integer-only LayerNormalization and RMS normalisation (I-BERT §3.4: the
/// standard deviation by Newton's integer square root), as
/// `Documentation/Quantization.md` specifies them.
extension IntegerApproximation {
  /// floor(√n) for n ≥ 0 by Newton's iteration: x₀ = 2^ceil(bitlength(n)/2),
  /// x_{i+1} = floor((x_i + floor(n / x_i)) / 2) while it decreases.
  @inlinable
  public static func squareRoot(_ n: Int64) -> Int64 {
    guard n > 0 else { return 0 }
    let length = 64 - n.leadingZeroBitCount
    var x = Int64(1) << ((length + 1) / 2)
    while true {
      let next = (x + n / x) / 2
      if next >= x { return x }
      x = next
    }
  }

  /// Fractional bits of the normalised value n_i.
  public static let normalizedBits = 15

  /// One row (the normalised axes, flattened) of LayerNormalization
  /// (`centre`) or RMS normalisation.
  ///
  /// 1. d_i = N · r_i − Σ r_j when centring, else N · r_i (exact, Int128):
  ///    N times the deviation, no rounded mean.
  /// 2. k = bitlength(max |d_i|) − 15; d'_i = d_i · 2^(−k) (exact for k ≤ 0,
  ///    round_halfEven for k > 0), so |d'_i| ≤ 2^15.
  /// 3. V = Σ d'_i²; var = floor(V · 2^32 / N) at fractional length
  ///    e = 2(fl − k) + 32; ε_q = round_halfEven(ε · N² · 2^e) (≤ 2^62);
  ///    T = min(var + ε_q, 2^62).
  /// 4. σ = max(1, squareRoot(T)) at fractional length fl − k + 16.
  /// 5. n_i = round_halfEven(d'_i · 2^31 / σ) at fractional length 15.
  /// 6. acc_i = n_i · γ_i + β_i at 15 + fl_γ (β on that grid), requantized
  ///    to `format`, `halfEven`, `saturate`.
  ///
  /// - Parameters:
  ///   - row: The raws r_i at `fractionalLength`.
  ///   - fractionalLength: fl of the row.
  ///   - centre: Whether to subtract the mean (LayerNorm) or not (RMS).
  ///   - epsilon: ε, added to the variance.
  ///   - scale: γ raws at `scaleFractionalLength`, one per element.
  ///   - scaleFractionalLength: fl_γ.
  ///   - bias: β on the grid 15 + fl_γ, one per element, or empty.
  ///   - format: The output format.
  /// - Returns: The output raws and their overflow events.
  /// - Precondition: `row` is not empty; `scale` (and a non-empty `bias`)
  ///   have `row.count` elements.
  public static func normalize(
    _ row: [Int64], fractionalLength: Int, centre: Bool, epsilon: Double,
    scale: [Int64], scaleFractionalLength: Int, bias: [Int64],
    to format: QFormat
  ) -> (values: [Int64], events: OverflowCounts) {
    let count = Int128(row.count)
    let total = row.reduce(Int128(0)) { $0 + Int128($1) }
    let deviations = row.map { count * Int128($0) - (centre ? total : 0) }
    let largest = deviations.map(\.magnitude).max() ?? 0
    let k = (128 - largest.leadingZeroBitCount) - 15
    let scaled = deviations.map {
      Int64(
        k > 0
          ? FixedPoint._roundedShiftRight($0, k, .halfEven, .zero)
          : $0 << -k)
    }
    let sum = scaled.reduce(Int128(0)) { $0 + Int128($1) * Int128($1) }
    let variance = FixedPoint._roundedQuotient(
      sum << 32, Int128(count), .floor, .zero)
    let e = 2 * (fractionalLength - k) + 32
    let limit = Int128(1) << 62
    let epsilonTerm = epsilonRaw(
      epsilon, times: count * count, fractionalLength: e)
    let sigma = max(1, squareRoot(Int64(min(variance + epsilonTerm, limit))))
    var events = OverflowCounts()
    let accumulatorLength = normalizedBits + scaleFractionalLength
    let values = scaled.indices.map { index in
      let normalized = FixedPoint._roundedQuotient(
        scaled[index] << 31, sigma, .halfEven, .zero)
      let acc =
        Int128(normalized) * Int128(scale[index])
        + (bias.isEmpty ? 0 : Int128(bias[index]))
      let (value, event) = FixedPoint._requantize(
        acc,
        FixedPoint._clampedDifference(
          accumulatorLength, format.fractionalLength),
        format, .halfEven, .saturate, .zero)
      events.record(event)
      return value
    }
    return (values, events)
  }

  /// round_halfEven(ε · m · 2^e) for ε ≥ 0 and m ≥ 1, exactly, at most
  /// 2^62.
  @inlinable
  static func epsilonRaw(
    _ epsilon: Double, times m: Int128, fractionalLength e: Int
  ) -> Int128 {
    let limit = Int128(1) << 62
    guard epsilon > 0, epsilon.isFinite else { return 0 }
    // ε = M · 2^E exactly, M < 2^53.
    let significand = Int128(
      epsilon.significandBitPattern
        | (epsilon.isNormal ? 1 << UInt64(Double.significandBitCount) : 0))
    let exponent =
      Int(
        epsilon.isNormal
          ? epsilon.exponent : Double.leastNormalMagnitude.exponent)
      - Double.significandBitCount
    let product = significand * m  // < 2^117
    let shift = -(exponent + e)
    if shift > 0 {
      return min(
        FixedPoint._roundedShiftRight(product, shift, .halfEven, .zero), limit)
    }
    let length = 128 - product.leadingZeroBitCount
    return length - shift > 62 ? limit : min(product << -shift, limit)
  }
}
