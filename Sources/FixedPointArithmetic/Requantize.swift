/// Requantization: an exact integer at one fractional length moved to an
/// output format with one rounding (FIXED_POINT.md §5 Requantize, Shift bounds).
///
/// With s = fl_in − fl_y:
///
/// | Shift | z (the exact integer)                      | Then            |
/// |-------|--------------------------------------------|-----------------|
/// | s > 0 | round(n / 2^s) per §2, the layer's mode     | F_y's policy    |
/// | s = 0 | n                                          | F_y's policy    |
/// | s < 0 | n · 2^k, k = −s, exact                     | F_y's policy    |
///
/// Left shifts never overflow: when bitlength(|n|) + k > 62 the exact z is
/// certainly outside any format (|z| ≥ 2^62), so `saturate` returns R_max or
/// R_min directly and `wrap` returns ((n mod 2^(B−k)) << k) wrapped, which is
/// 0 for k ≥ B; both count an event.
extension FixedPoint {
  /// Requantizes n from fractional length `fl` to `format` (§5).
  ///
  /// Worked (§2): −38 at fl 2 to fl 0 (t = −9.5) → `halfEven` −10, `halfUp`
  /// −9, `halfAwayFromZero` −10, `floor` −10, `towardZero` −9.
  ///
  /// ReLU commutes with every deterministic mode, so kernels apply
  /// ``FixedPoint/relu(_:)`` to the result; with `stochastic` rounding §5
  /// applies ReLU to the input before this call.
  ///
  /// - Parameters:
  ///   - n: The exact integer (an accumulator, a sum, a product).
  ///   - fractionalLength: Its fractional length fl_in.
  ///   - format: The output format F_y.
  ///   - rounding: The layer's requantization mode (`halfUp` by default, §6).
  ///   - overflow: F_y's overflow policy.
  ///   - sample: u for `stochastic`; ignored by the other modes.
  /// - Returns: The raw in F_y and the overflow event.
  /// - Complexity: O(1).
  @inlinable
  public static func requantize(
    _ n: Int64, fromFractionalLength fractionalLength: Int, to format: QFormat,
    rounding: RoundingMode, overflow: OverflowPolicy,
    sample: StochasticSample = .zero
  ) -> (value: Int64, event: OverflowEvent) {
    let s = _clampedDifference(fractionalLength, format.fractionalLength)
    return _requantize(n, s, format, rounding, overflow, sample)
  }

  /// Requantizes n by an explicit right shift s (s < 0: exact left shift).
  ///
  /// The same as ``requantize(_:fromFractionalLength:to:rounding:overflow:sample:)``
  /// with s = fl_in − fl_y precomputed, for kernels that hoist it.
  ///
  /// - Returns: The raw in `format` and the overflow event.
  /// - Complexity: O(1).
  @inlinable
  public static func requantize(
    _ n: Int64, shift s: Int, to format: QFormat,
    rounding: RoundingMode, overflow: OverflowPolicy,
    sample: StochasticSample = .zero
  ) -> (value: Int64, event: OverflowEvent) {
    _requantize(n, s, format, rounding, overflow, sample)
  }

  /// `_requantize` for Int64, without generics so the per-element path is
  /// fast in debug builds too; identical in meaning to the generic version.
  @inlinable
  static func _requantize(
    _ n: Int64, _ s: Int, _ format: QFormat, _ mode: RoundingMode,
    _ policy: OverflowPolicy, _ sample: StochasticSample
  ) -> (value: Int64, event: OverflowEvent) {
    if s > 0 {
      return _applyOverflow(
        _roundedShiftRight(n, s, mode, sample), format, policy)
    }
    if s == 0 || n == 0 { return _applyOverflow(n, format, policy) }
    let k = s < -256 ? 256 : -s
    if 64 - n.magnitude.leadingZeroBitCount + k > 62 {
      let event: OverflowEvent = n > 0 ? .positive : .negative
      switch policy {
      case .saturate:
        return (n > 0 ? format.rawMax : format.rawMin, event)
      case .wrap:
        return (_wrap(k >= 64 ? 0 : n &<< k, format), event)
      }
    }
    return _applyOverflow(n &<< k, format, policy)
  }

  /// Requantization of an exact integer held in Int64 or Int128.
  @inlinable
  static func _requantize<T: FixedWidthInteger & SignedInteger>(
    _ n: T, _ s: Int, _ format: QFormat, _ mode: RoundingMode,
    _ policy: OverflowPolicy, _ sample: StochasticSample
  ) -> (value: Int64, event: OverflowEvent)
  where T.Magnitude: FixedWidthInteger & UnsignedInteger {
    if s > 0 {
      return _applyOverflow(
        _roundedShiftRight(n, s, mode, sample), format, policy)
    }
    if s == 0 || n == 0 { return _applyOverflow(n, format, policy) }
    let k = s < -256 ? 256 : -s
    let length = T.bitWidth - n.magnitude.leadingZeroBitCount
    if length + k > 62 {
      // |z| ≥ 2^62: outside every format (B ≤ 48).
      let event: OverflowEvent = n > 0 ? .positive : .negative
      switch policy {
      case .saturate:
        return (n > 0 ? format.rawMax : format.rawMin, event)
      case .wrap:
        let low = k >= 64 ? 0 : Int64(truncatingIfNeeded: n) &<< k
        return (_wrap(low, format), event)
      }
    }
    return _applyOverflow(n << k, format, policy)
  }
}
