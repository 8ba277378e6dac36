/// How an average pool divides its window sum by the count N (FIXED_POINT.md §5).
///
/// | Case           | z                                                             |
/// |----------------|---------------------------------------------------------------|
/// | `exact`        | round(S · 2^(fl_y − fl_x) / N) per §2, one rounding           |
/// | `reciprocal(k)`| R = round_halfEven(2^k / N); z = round(S · R / 2^(k + fl_x − fl_y)) |
///
/// `reciprocal(k)` models multiply-by-reciprocal pooling units; the default
/// k is 16.
public enum AveragePoolDivision: Hashable, Sendable {
  /// Exact division with one rounding (the default).
  case exact
  /// Multiplication by a k-bit reciprocal, k in ``allowedShifts``.
  case reciprocal(shift: Int)

  /// The default reciprocal precision k (§5).
  public static let defaultReciprocalShift = 16

  /// The reciprocal precisions supported exactly: 0...62.
  public static let allowedShifts: ClosedRange<Int> = 0...62
}

extension FixedPoint {
  /// The largest |fl_y − fl_x| an average pool accepts; beyond it the exact
  /// numerator or divisor could leave 128 bits.
  public static let averagePoolShiftLimit = 62

  /// The output raw of an average (or global average) pool (§5).
  ///
  /// The exact form rounds n/d with n = S · 2^max(0, fl_y − fl_x) and
  /// d = N · 2^max(0, fl_x − fl_y), computed in 128 bits, then applies the
  /// output policy. Which positions count towards N (count-include-pad) is
  /// the caller's, taken from the model.
  ///
  /// Worked (§5): raws [3, 4, 4, 4] at fl 2, S = 15, N = 4, output fl 2:
  /// 3.75 → `halfEven` and `halfUp` 4, `floor` 3.
  ///
  /// - Parameters:
  ///   - sum: S, the exact Int64 sum of the counted window values.
  ///   - count: N ≥ 1, the number of counted positions.
  ///   - fractionalLength: fl_x of the input.
  ///   - format: The output format F_y.
  ///   - rounding: The layer's requantization mode.
  ///   - overflow: F_y's overflow policy.
  ///   - division: `exact` or `reciprocal(k)`.
  ///   - sample: u for `stochastic`; ignored by the other modes.
  /// - Returns: The raw in F_y and the overflow event.
  /// - Throws: ``FixedPointError/poolCountNotPositive(_:)``,
  ///   ``FixedPointError/alignmentShiftTooLarge(shift:limit:)`` when
  ///   |fl_y − fl_x| > 62, or ``FixedPointError/reciprocalShiftOutOfRange(shift:allowed:)``.
  @inlinable
  public static func averagePool(
    sum: Int64, count: Int, fractionalLength: Int, to format: QFormat,
    rounding: RoundingMode, overflow: OverflowPolicy,
    division: AveragePoolDivision = .exact, sample: StochasticSample = .zero
  ) throws(FixedPointError) -> (value: Int64, event: OverflowEvent) {
    guard count > 0 else { throw .poolCountNotPositive(count) }
    let delta = _clampedDifference(format.fractionalLength, fractionalLength)
    guard delta.magnitude <= UInt(averagePoolShiftLimit) else {
      throw .alignmentShiftTooLarge(shift: delta, limit: averagePoolShiftLimit)
    }
    switch division {
    case .exact:
      let n = Int128(sum) << max(0, delta)  // |n| ≤ 2^125
      let d = Int128(count) << max(0, -delta)  // d ≤ 2^125
      let z = _roundedQuotient(n, d, rounding, sample)
      return _applyOverflow(z, format, overflow)
    case .reciprocal(let k):
      guard AveragePoolDivision.allowedShifts.contains(k) else {
        throw .reciprocalShiftOutOfRange(
          shift: k, allowed: AveragePoolDivision.allowedShifts)
      }
      let reciprocal = _roundedQuotient(
        Int64(1) << k, Int64(count), .halfEven, .zero)
      let product = Int128(sum) * Int128(reciprocal)  // |product| ≤ 2^125
      return _requantize(product, k - delta, format, rounding, overflow, sample)
    }
  }
}
