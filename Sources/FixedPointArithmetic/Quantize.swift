/// Float ↔ fixed-point conversion at the boundary (FIXED_POINT.md §4).
extension FixedPoint {
  /// Quantizes a Double to a raw integer: round(x · 2^fl), then the policy.
  ///
  /// §4, exactly:
  /// 1. NaN throws; +∞ → R_max and −∞ → R_min, each counted as an event.
  /// 2. x = m · 2^e with an integer significand m (|m| < 2^53), so
  ///    y = x · 2^fl = m · 2^(e + fl) is an exact rational. No floating-point
  ///    scaling happens, so nothing can round or underflow; for Float inputs
  ///    and fl in range this equals the exponent-adjusted Double of §4.
  /// 3. If |y| ≥ 2^62: `saturate` gives R_max or R_min with an event; `wrap`
  ///    throws (outside the modelled domain).
  /// 4. Otherwise y is rounded per §2 (the fraction compared with ½ exactly,
  ///    or with u for `stochastic`), and the format's policy applied (§3).
  ///
  /// | Case                | `saturate`            | `wrap`                    |
  /// |---------------------|-----------------------|---------------------------|
  /// | NaN                 | throws                | throws                    |
  /// | ±∞                  | R_max / R_min, event  | R_max / R_min, event      |
  /// | \|y\| ≥ 2^62        | R_max / R_min, event  | throws                    |
  /// | round(y) in range   | round(y)              | round(y)                  |
  /// | round(y) outside    | R_max / R_min, event  | wrapped, event            |
  ///
  /// Worked: 2.53125 at fl 4 (t = 40.5) → `halfEven` 40, `halfUp` 41;
  /// 9.0 at (8, 4) → `saturate` 127, `wrap` −112; 13 at (8, −2) → 3;
  /// 0.05 at (4, 6) → 3 (§2, §3).
  ///
  /// - Parameters:
  ///   - x: The value.
  ///   - format: The target format.
  ///   - rounding: The rule; weights, biases and inputs use `halfEven` (§12.1).
  ///   - overflow: The overflow policy.
  ///   - sample: u for `stochastic`; ignored by the other modes.
  /// - Returns: The raw and the overflow event.
  /// - Throws: ``FixedPointError/notANumber``, or
  ///   ``FixedPointError/outOfModelledDomain(value:)`` with `wrap`.
  @inlinable
  public static func quantize(
    _ x: Double, to format: QFormat, rounding: RoundingMode,
    overflow: OverflowPolicy, sample: StochasticSample = .zero
  ) throws(FixedPointError) -> (value: Int64, event: OverflowEvent) {
    if x.isNaN { throw .notANumber }
    guard let result = _quantizeNonNaN(x, format, rounding, overflow, sample)
    else { throw .outOfModelledDomain(value: x) }
    return result
  }

  /// Quantizes a Float.
  ///
  /// The Float is widened to Double (exact), then quantized as by the Double
  /// overload (§4 step 2). Disfavoured, so literals pick the Double overload.
  ///
  /// - Throws: ``FixedPointError/notANumber``, or
  ///   ``FixedPointError/outOfModelledDomain(value:)`` with `wrap`.
  @inlinable @_disfavoredOverload
  public static func quantize(
    _ x: Float, to format: QFormat, rounding: RoundingMode,
    overflow: OverflowPolicy, sample: StochasticSample = .zero
  ) throws(FixedPointError) -> (value: Int64, event: OverflowEvent) {
    try quantize(
      Double(x), to: format, rounding: rounding, overflow: overflow,
      sample: sample)
  }

  /// The value of a raw integer: Double(r) · 2^(−fl).
  ///
  /// Exact whenever |r| < 2^53 (every format with B ≤ 53); wider raws are
  /// first rounded to the nearest Double (ties to even). The power-of-two
  /// scale is exact for every fl a format can have.
  @inlinable
  public static func dequantize(_ raw: Int64, from format: QFormat) -> Double {
    Double(raw) * _powerOfTwo(-format.fractionalLength)
  }

  /// 2^k as a Double, exact for k in [−1074, 1023].
  @inlinable
  static func _powerOfTwo(_ k: Int) -> Double {
    Double(sign: .plus, exponent: k, significand: 1)
  }

  /// Quantizes a non-NaN Double; `nil` means outside the modelled domain
  /// (only possible with `wrap`).
  @inlinable
  static func _quantizeNonNaN(
    _ x: Double, _ format: QFormat, _ mode: RoundingMode,
    _ policy: OverflowPolicy, _ sample: StochasticSample
  ) -> (value: Int64, event: OverflowEvent)? {
    if x.isInfinite {
      return x > 0 ? (format.rawMax, .positive) : (format.rawMin, .negative)
    }
    if x == 0 { return (0, .none) }
    // x = ±magnitude · 2^exponent, exactly.
    let biased = Int(x.exponentBitPattern)
    let fraction = x.significandBitPattern
    let magnitude = biased == 0 ? fraction : fraction | (1 << 52)
    let exponent = biased == 0 ? -1074 : biased - 1075
    let m = x.sign == .minus ? -Int64(magnitude) : Int64(magnitude)
    let s = -(exponent + format.fractionalLength)  // y = m / 2^s
    if s > 0 {
      return _applyOverflow(
        _roundedShiftRight(m, s, mode, sample), format, policy)
    }
    let k = -s
    let length = 64 - magnitude.leadingZeroBitCount
    if length + k > 62 {  // |y| ≥ 2^62
      guard policy == .saturate else { return nil }
      return m > 0 ? (format.rawMax, .positive) : (format.rawMin, .negative)
    }
    return _applyOverflow(m << k, format, policy)
  }
}
