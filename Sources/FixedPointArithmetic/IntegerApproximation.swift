/// Integer-only approximations of the non-linear functions of transformers
/// and recurrent layers, after I-BERT (Kim et al., ICML 2021,
/// arXiv:2101.01321): `exp` by a second-order polynomial on (−ln 2, 0] and a
/// shift, sigmoid, tanh and softmax from it, GELU through a polynomial `erf`.
///
/// `Documentation/Quantization.md` ("Integer-only non-linear functions")
/// specifies every step normatively; this file is that text in Swift. Every
/// step is an exact operation on Int64 (Int128 where a quotient needs it), so
/// two conforming implementations produce identical raws.
///
/// The working grid has K = 16 fractional bits: an input raw r at
/// fractional length fl becomes x = clamp(round_halfEven(r · 2^(16 − fl)),
/// −2^22, 2^22) (|value| ≤ 64, where every function here has saturated).
/// Outputs are rounded once, `halfEven`, and saturated to the output format,
/// as FIXED_POINT.md §5 re-quantizes a float island.
public enum IntegerApproximation {
  /// Fractional bits of the working grid.
  public static let workingBits = 16
  /// The working grid's clamp, 2^22 (value 64).
  public static let workingLimit: Int64 = 1 << 22
  /// round(ln 2 · 2^16).
  public static let ln2: Int64 = 45426
  /// I-BERT's exp polynomial 0.3585 (p + 1.353)² + 0.344: b = floor(1.353 ·
  /// 2^16), c = floor(0.344 / 0.3585 · 2^32), a = round(0.3585 · 2^15).
  public static let expB: Int64 = 88670
  public static let expC: Int64 = 4_121_251_742
  public static let expA: Int64 = 11747
  /// round(2^16 / √2).
  public static let inverseSquareRoot2: Int64 = 46341
  /// I-BERT's erf polynomial sign(x)(a (min(|x|, −b) + b)² + 1) with
  /// b = −1.769, a = −0.2888: round(1.769 · 2^16) and round(−0.2888 · 2^14).
  public static let erfB: Int64 = 115_933
  public static let erfA: Int64 = -4732
  /// 1 at fractional length 30, the grid of exp, sigmoid and erf values.
  public static let one30: Int64 = 1 << 30

  /// A raw at fractional length `fractionalLength` on the working grid:
  /// round_halfEven(r · 2^(16 − fl)) clamped to [−2^22, 2^22].
  @inlinable
  public static func working(_ raw: Int64, fractionalLength: Int) -> Int64 {
    let shift = FixedPoint._clampedDifference(fractionalLength, workingBits)
    let x = FixedPoint.roundedShiftRight(raw, by: shift, rounding: .halfEven)
    return min(max(x, -workingLimit), workingLimit)
  }

  /// exp(x / 2^16) for a working-grid x as an exact pair: the value is
  /// `mantissa` · 2^(−fractionalLength).
  ///
  /// z = floor(−x / ln2), p = x + z · ln2 ∈ (−ln2, 0],
  /// mantissa = ((p + b)² + c) · a, fractionalLength = 47 + z.
  @inlinable
  public static func exp(working x: Int64) -> (
    mantissa: Int64, fractionalLength: Int
  ) {
    let z = FixedPoint._floorDivide(-x, ln2).quotient
    let p = x + z * ln2
    let shifted = p + expB
    return ((shifted * shifted + expC) * expA, 47 + Int(z))
  }

  /// exp(x / 2^16) at fractional length 30 for x ≤ 0: the mantissa shifted
  /// right by 17 + z (floor); 0 once the shift reaches 63.
  @inlinable
  public static func exp30(working x: Int64) -> Int64 {
    let (mantissa, fractionalLength) = exp(working: min(x, 0))
    let shift = fractionalLength - 30
    return shift >= 63 ? 0 : mantissa >> shift
  }

  /// σ(x / 2^16) at fractional length 30 for a working-grid x:
  /// E = exp30(−|x|); round_halfEven(2^30 · N / (2^30 + E)) with N = 2^30
  /// for x ≥ 0 and N = E for x < 0.
  @inlinable
  public static func sigmoid30(working x: Int64) -> Int64 {
    let e = exp30(working: -abs(x))
    let numerator = x >= 0 ? one30 : e
    return FixedPoint._roundedQuotient(
      numerator << 30, one30 + e, .halfEven, .zero)
  }

  /// round_halfEven(n · 2^fl_y / d) for d > 0, exactly (Int128).
  @inlinable
  static func roundedQuotient(_ n: Int64, _ d: Int64, _ format: QFormat)
    -> Int128
  {
    let fl = min(max(format.fractionalLength, -64), 64)
    let numerator = Int128(n) << max(0, fl)
    let divisor = Int128(d) << max(0, -fl)
    return FixedPoint._roundedQuotient(numerator, divisor, .halfEven, .zero)
  }

  /// ``roundedQuotient(_:_:_:)`` saturated to `format`.
  @inlinable
  static func quotient(
    _ n: Int64, _ d: Int64, to format: QFormat
  ) -> (value: Int64, event: OverflowEvent) {
    FixedPoint._applyOverflow(
      roundedQuotient(n, d, format), format, .saturate)
  }

  /// Exp: the exact pair of ``exp(working:)`` requantized to `format`,
  /// `halfEven`, `saturate`.
  @inlinable
  public static func exp(
    _ raw: Int64, fractionalLength: Int, to format: QFormat
  ) -> (value: Int64, event: OverflowEvent) {
    let (mantissa, fl) = exp(
      working: working(raw, fractionalLength: fractionalLength))
    return FixedPoint.requantize(
      mantissa, fromFractionalLength: fl, to: format, rounding: .halfEven,
      overflow: .saturate)
  }

  /// Sigmoid: round_halfEven(N · 2^fl_y / (2^30 + E)) as in
  /// ``sigmoid30(working:)``, saturated to `format`.
  @inlinable
  public static func sigmoid(
    _ raw: Int64, fractionalLength: Int, to format: QFormat
  ) -> (value: Int64, event: OverflowEvent) {
    let x = working(raw, fractionalLength: fractionalLength)
    let e = exp30(working: -abs(x))
    return quotient(x >= 0 ? one30 : e, one30 + e, to: format)
  }

  /// Tanh: E = exp30(max(−2|x|, −2^22)); y = sign(x) · round_halfEven(
  /// max(0, 2^30 − E) · 2^fl_y / (2^30 + E)), then saturated to `format`.
  @inlinable
  public static func tanh(
    _ raw: Int64, fractionalLength: Int, to format: QFormat
  ) -> (value: Int64, event: OverflowEvent) {
    let x = working(raw, fractionalLength: fractionalLength)
    let e = exp30(working: max(-2 * abs(x), -workingLimit))
    let magnitude = roundedQuotient(max(0, one30 - e), one30 + e, format)
    return FixedPoint._applyOverflow(
      x < 0 ? -magnitude : magnitude, format, .saturate)
  }

  /// SiLU x · σ(x): the exact product r · sigmoid30(x) at fl + 30,
  /// requantized to `format`, `halfEven`, `saturate`.
  @inlinable
  public static func silu(
    _ raw: Int64, fractionalLength: Int, to format: QFormat
  ) -> (value: Int64, event: OverflowEvent) {
    let x = working(raw, fractionalLength: fractionalLength)
    let product = Int128(raw) * Int128(sigmoid30(working: x))
    return FixedPoint._requantize(
      product,
      FixedPoint._clampedDifference(
        fractionalLength + 30, format.fractionalLength),
      format, .halfEven, .saturate, .zero)
  }

  /// erf(u / 2^16) at fractional length 30 (I-BERT's L): 0 for u = 0,
  /// else m = min(|u|, b), L = sign(u) · ((((m − b)² · a) >> 16) + 2^30).
  @inlinable
  public static func erf30(argument u: Int64) -> Int64 {
    guard u != 0 else { return 0 }
    let m = min(abs(u), erfB)
    let d = m - erfB
    let l = ((d * d * erfA) >> 16) + one30
    return u < 0 ? -l : l
  }

  /// Erf: erf30 of the working-grid input, requantized to `format`,
  /// `halfEven`, `saturate`.
  @inlinable
  public static func erf(
    _ raw: Int64, fractionalLength: Int, to format: QFormat
  ) -> (value: Int64, event: OverflowEvent) {
    FixedPoint.requantize(
      erf30(argument: working(raw, fractionalLength: fractionalLength)),
      fromFractionalLength: 30, to: format, rounding: .halfEven,
      overflow: .saturate)
  }

  /// GELU x · ½(1 + erf(x/√2)): u = round_halfEven(x · 46341 / 2^16), the
  /// exact product r · (2^30 + erf30(u)) at fl + 31, requantized to `format`, `halfEven`, `saturate`.
  @inlinable
  public static func gelu(
    _ raw: Int64, fractionalLength: Int, to format: QFormat
  ) -> (value: Int64, event: OverflowEvent) {
    let x = working(raw, fractionalLength: fractionalLength)
    let u = FixedPoint.roundedShiftRight(
      x * inverseSquareRoot2, by: 16, rounding: .halfEven)
    let product = Int128(raw) * Int128(one30 + erf30(argument: u))
    return FixedPoint._requantize(
      product,
      FixedPoint._clampedDifference(
        fractionalLength + 31, format.fractionalLength),
      format, .halfEven, .saturate, .zero)
  }

  /// Softmax of one row of raws at `fractionalLength`: d_i = r_i − max r,
  /// E_i = exp30(working(d_i)), S = Σ E_i in index order, y_i =
  /// round_halfEven(E_i · 2^fl_y / S) saturated to `format`.
  ///
  /// - Precondition: `row` is not empty.
  public static func softmax(
    _ row: [Int64], fractionalLength: Int, to format: QFormat
  ) -> (values: [Int64], events: OverflowCounts) {
    guard let top = row.max() else { return ([], OverflowCounts()) }
    let e = row.map {
      exp30(working: working($0 - top, fractionalLength: fractionalLength))
    }
    let sum = e.reduce(0, +)
    var events = OverflowCounts()
    let values = e.map {
      let (value, event) = quotient($0, sum, to: format)
      events.record(event)
      return value
    }
    return (values, events)
  }
}
