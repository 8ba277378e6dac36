/// What happens when an exact integer falls outside a format's range.
///
/// Applied after rounding (FIXED_POINT.md §3), to the exact mathematical
/// integer z, with [R_min, R_max] from ``QFormat``:
///
/// | Policy     | z in range | z > R_max                  | z < R_min                  |
/// |------------|------------|----------------------------|----------------------------|
/// | `saturate` | z          | R_max, event               | R_min, event               |
/// | `wrap`     | z          | ((z − R_min) mod 2^B) + R_min, event | same formula, event |
///
/// Worked (§3): 9.0 at (B 8, fl 4) gives z = 144 → `saturate` 127
/// (7.9375), `wrap` −112 (−7.0).
///
/// Raw values are the names used in the precision file (§11).
public enum OverflowPolicy: String, CaseIterable, Hashable, Sendable {
  /// Clamp to [R_min, R_max] (Ristretto, DPU, TFLite; the default, §6).
  case saturate
  /// Keep the low B bits, two's complement (hls4ml's AP_WRAP).
  case wrap

  /// The storage default (§6): `saturate`, because wrap flips signs.
  public static let `default` = OverflowPolicy.saturate
}
