/// How a dot product's exact sum is brought into the A-bit accumulator.
///
/// FIXED_POINT.md §5 (Accumulator). The exact sum is computed in Int64 under
/// the load-time bound of ``FixedPoint/accumulatorProblems(weightBits:inputBits:terms:accumulatorBits:)``;
/// then:
///
/// | Policy             | Result                                           | Order-independent |
/// |--------------------|--------------------------------------------------|-------------------|
/// | `saturateFinal`    | clamp the exact sum to A bits once; one event per clamped output | yes |
/// | `wrap`             | exact sum mod 2^A (equal to wrapping every step)  | yes               |
/// | `saturateEachStep` | clamp after every addition in canonical order (bias, then ci, kh, kw) | no |
///
/// Raw values are the names used in the precision file (§11).
public enum AccumulatorPolicy: String, CaseIterable, Hashable, Sendable {
  /// Clamp the exact sum once (the default, §6).
  case saturateFinal
  /// Reduce the exact sum modulo 2^A.
  case wrap
  /// Clamp after every addition, modelling narrow saturating adders; see
  /// ``FixedPoint/accumulateSaturating(_:adding:in:)``.
  case saturateEachStep

  /// The default (§6): `saturateFinal`, so parallel kernels stay bit-exact.
  public static let `default` = AccumulatorPolicy.saturateFinal
}
