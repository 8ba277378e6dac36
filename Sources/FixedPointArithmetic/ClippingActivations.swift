/// ReLU, ReLU6 and Clip on raw integers (FIXED_POINT.md §5, §12.4).
///
/// These act on raws of one format and keep it (format-preserving nodes,
/// §11):
///
/// | Op             | Result                                   | Bounds                      |
/// |----------------|------------------------------------------|-----------------------------|
/// | ReLU           | max(z, 0)                                | —                           |
/// | ReLU6          | min(max(z, 0), b6)                       | b6 = quantize(6.0) (halfEven, saturate) |
/// | Clip(lo, hi)   | min(max(z, lo'), hi')                    | lo', hi' = quantize(lo), quantize(hi) (halfEven, saturate) |
///
/// Requantization with a deterministic mode is monotone and maps 0 to 0, so
/// ReLU before or after it gives the same integers; with `stochastic`
/// requantization ReLU is applied to the accumulator before rounding (§5).
extension FixedPoint {
  /// ReLU on a raw integer: max(z, 0).
  @inlinable
  public static func relu(_ z: Int64) -> Int64 { max(z, 0) }

  /// Clip on a raw integer: min(max(z, lower), upper), in that order, so
  /// `upper` wins if the bounds cross (§12.4).
  @inlinable
  public static func clip(_ z: Int64, lower: Int64, upper: Int64) -> Int64 {
    min(max(z, lower), upper)
  }

  /// The raw bounds of Clip(lo, hi) in a format.
  ///
  /// Each bound is quantized with `halfEven` and `saturate` (§12.4); ±∞
  /// become R_max / R_min.
  ///
  /// - Throws: ``FixedPointError/notANumber`` if a bound is NaN.
  public static func clipBounds(
    lower: Double, upper: Double, in format: QFormat
  ) throws(FixedPointError) -> (lower: Int64, upper: Int64) {
    let lo = try quantize(
      lower, to: format, rounding: .halfEven, overflow: .saturate)
    let hi = try quantize(
      upper, to: format, rounding: .halfEven, overflow: .saturate)
    return (lo.value, hi.value)
  }

  /// The ReLU6 upper bound in a format.
  ///
  /// quantize(6.0, F, halfEven, saturate) (§5); ReLU6 is
  /// `clip(z, lower: 0, upper: relu6Bound(in: F))`.
  ///
  /// Worked: (8, fl 4) → 96; (8, fl 5) → 127 (saturated, 6.0 needs 192).
  public static func relu6Bound(in format: QFormat) -> Int64 {
    // 6.0 is finite and saturate never leaves the domain, so never nil.
    _quantizeNonNaN(6.0, format, .halfEven, .saturate, .zero)?.value
      ?? format.rawMax
  }
}
