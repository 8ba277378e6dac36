/// How an exact rational t = n/d (d > 0) becomes an integer.
///
/// Defined in FIXED_POINT.md §2 with q = floor(n/d) (true floor) and
/// r = n − q·d, 0 ≤ r < d:
///
/// | Mode               | Result                                         | HLS / library name |
/// |--------------------|------------------------------------------------|--------------------|
/// | `floor`            | q                                              | AP_TRN             |
/// | `towardZero`       | q if n ≥ 0 or r = 0, else q + 1                | AP_TRN_ZERO        |
/// | `halfUp`           | q + 1 if 2r ≥ d, else q (ties toward +∞)       | AP_RND, DPU        |
/// | `halfAwayFromZero` | n ≥ 0: as `halfUp`; n < 0: q + 1 if 2r > d     | C `round`, TFLite  |
/// | `halfEven`         | q + 1 if 2r > d, or 2r = d and q odd           | IEEE, ONNX, AP_RND_CONV |
/// | `stochastic`       | q + 1 if r/d > u, u ∈ [0, 1) from §7           | —                  |
///
/// Worked (§2): 40.5 → halfEven 40, halfUp 41, halfAwayFromZero 41, floor 40,
/// towardZero 40; −40.5 → −40, −40, −41, −41, −40.
///
/// Raw values are the names used in the precision file (§11).
public enum RoundingMode: String, CaseIterable, Hashable, Sendable {
  /// Toward −∞ (truncation of two's complement bits, AP_TRN).
  case floor
  /// Toward zero (AP_TRN_ZERO).
  case towardZero
  /// To nearest, ties toward +∞ (AP_RND; what a DPU's add-half-then-shift does).
  case halfUp
  /// To nearest, ties away from zero (C `round`, TFLite).
  case halfAwayFromZero
  /// To nearest, ties to the even integer (IEEE default, ONNX, AP_RND_CONV).
  case halfEven
  /// Up with probability equal to the fraction, using the counter-based
  /// sample of §7 (``StochasticSample``).
  case stochastic

  /// The default for quantizing weights, biases and inputs (§6): `halfEven`.
  public static let quantizationDefault = RoundingMode.halfEven

  /// The default for requantization in the datapath (§6): `halfUp`.
  public static let requantizationDefault = RoundingMode.halfUp

  /// Whether the result depends only on n and d (every mode but `stochastic`).
  ///
  /// Deterministic modes are monotone and map 0 to 0, so ReLU commutes with
  /// them (§5 ReLU).
  @inlinable
  public var isDeterministic: Bool { self != .stochastic }
}
