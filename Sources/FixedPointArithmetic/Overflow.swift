/// Overflow policies applied to exact integers (FIXED_POINT.md §3).
///
/// | Policy     | z in [R_min, R_max] | z outside                                  |
/// |------------|---------------------|--------------------------------------------|
/// | `saturate` | z, no event         | R_max or R_min, event                      |
/// | `wrap`     | z, no event         | ((z − R_min) mod 2^B) + R_min, event       |
///
/// Wrap is computed as two's complement truncation to B bits (sign extension
/// for signed formats, a mask for unsigned ones), which equals the formula for
/// every non-symmetric format. A symmetric format with `wrap` is rejected by
/// ``QFormat/validate(with:)`` (§12.8); if used anyway it wraps over the full
/// two's complement range, so −2^(B−1) can appear.
extension FixedPoint {
  /// Applies an overflow policy to an exact integer z.
  ///
  /// Worked (§3): 144 in (B 8, fl 4) → `saturate` (127, .positive);
  /// `wrap` (−112, .positive).
  ///
  /// - Returns: The raw in the format and the event, if z was outside.
  /// - Complexity: O(1).
  @inlinable
  public static func applyOverflow(
    _ z: Int64, to format: QFormat, policy: OverflowPolicy
  ) -> (value: Int64, event: OverflowEvent) {
    _applyOverflow(z, format, policy)
  }

  /// `_applyOverflow` for Int64, without generics so the per-element path is
  /// fast in debug builds too; identical in meaning to the generic version.
  @inlinable
  static func _applyOverflow(
    _ z: Int64, _ format: QFormat, _ policy: OverflowPolicy
  ) -> (value: Int64, event: OverflowEvent) {
    let event: OverflowEvent
    if z > format.rawMax {
      event = .positive
    } else if z < format.rawMin {
      event = .negative
    } else {
      return (z, .none)
    }
    switch policy {
    case .saturate:
      return (event == .positive ? format.rawMax : format.rawMin, event)
    case .wrap:
      return (_wrap(z, format), event)
    }
  }

  /// Applies the policy to an exact integer held in Int64 or Int128.
  @inlinable
  static func _applyOverflow<T: FixedWidthInteger & SignedInteger>(
    _ z: T, _ format: QFormat, _ policy: OverflowPolicy
  ) -> (value: Int64, event: OverflowEvent) {
    let event: OverflowEvent
    if z > T(format.rawMax) {
      event = .positive
    } else if z < T(format.rawMin) {
      event = .negative
    } else {
      return (Int64(truncatingIfNeeded: z), .none)
    }
    switch policy {
    case .saturate:
      return (event == .positive ? format.rawMax : format.rawMin, event)
    case .wrap:
      // 2^B divides 2^64, so truncating to 64 bits first keeps z mod 2^B.
      return (_wrap(Int64(truncatingIfNeeded: z), format), event)
    }
  }

  /// z mod 2^B into the format's two's complement (or unsigned) range.
  @inlinable
  static func _wrap(_ z: Int64, _ format: QFormat) -> Int64 {
    let unused = 64 - format.bits
    if format.isSigned { return (z &<< unused) &>> unused }
    return z & (Int64(bitPattern: UInt64.max >> unused))
  }
}
