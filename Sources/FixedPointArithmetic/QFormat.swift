/// A fixed-point format F = (B, fl, signed), with an optional symmetric range.
///
/// A raw integer r in this format represents v = r · 2^(−fl) (FIXED_POINT.md
/// §1). The range of raws is:
///
/// | Kind              | R_min            | R_max          |
/// |-------------------|------------------|----------------|
/// | signed            | −2^(B−1)         | 2^(B−1) − 1    |
/// | signed, symmetric | −(2^(B−1) − 1)   | 2^(B−1) − 1    |
/// | unsigned          | 0                | 2^B − 1        |
///
/// fl is independent of B: fl < 0 makes the LSB weight 2^|fl| > 1, and fl ≥ B
/// gives |v| < 1 with implicit sign-extension bits. Both need no special case.
///
/// ```swift
/// let f = try QFormat(bits: 8, fractionalLength: -2)
/// f.rawMin        // -128
/// f.minValue      // -512.0
/// f.maxValue      // 508.0
/// f.integerLength // 10
/// ```
///
/// Storage formats (weights, biases, activations) come from
/// ``init(bits:fractionalLength:signed:symmetric:)``; accumulators, which are
/// wider and sit at fl_w + fl_x, from ``accumulator(bits:fractionalLength:)``.
/// Both validate, so a `QFormat` value always satisfies its invariants.
public struct QFormat: Hashable, Sendable {
  /// Storage bits B.
  public let bits: Int
  /// Fractional length fl: the raw r stands for r · 2^(−fl).
  public let fractionalLength: Int
  /// Whether raws are two's complement (signed) or unsigned.
  public let isSigned: Bool
  /// Whether the signed range is symmetric, R_min = −R_max.
  ///
  /// Models TFLite weights and AP_SAT_SYM; valid only with `saturate` (§12.8).
  public let isSymmetric: Bool
  /// The smallest raw, R_min.
  public let rawMin: Int64
  /// The largest raw, R_max.
  public let rawMax: Int64

  /// The allowed storage widths for signed formats (§1).
  public static let signedBits: ClosedRange<Int> = 2...32
  /// The allowed storage widths for unsigned formats (§1).
  public static let unsignedBits: ClosedRange<Int> = 1...32
  /// The allowed fractional lengths of storage formats (§1).
  public static let fractionalLengths: ClosedRange<Int> = -32...64
  /// The allowed accumulator widths A (§5: A ≤ 48).
  public static let accumulatorBits: ClosedRange<Int> = 2...48
  /// The allowed accumulator fractional lengths: sums of two storage fls.
  public static let accumulatorFractionalLengths: ClosedRange<Int> = -64...128

  /// Creates a storage format, validating it.
  ///
  /// - Parameters:
  ///   - bits: B, in [2, 32] (signed) or [1, 32] (unsigned).
  ///   - fractionalLength: fl, in [−32, 64].
  ///   - signed: Whether raws are signed; the default is signed (§6).
  ///   - symmetric: Whether R_min = −R_max; needs `signed`.
  /// - Throws: The first of ``problems(bits:fractionalLength:signed:symmetric:)``.
  public init(
    bits: Int, fractionalLength: Int, signed: Bool = true,
    symmetric: Bool = false
  ) throws(FixedPointError) {
    let problems = Self.problems(
      bits: bits, fractionalLength: fractionalLength, signed: signed,
      symmetric: symmetric)
    if let first = problems.first { throw first }
    self.init(
      _unchecked: bits, fractionalLength: fractionalLength, signed: signed,
      symmetric: symmetric)
  }

  /// Creates a signed accumulator format F_acc = (A, fl_w + fl_x), validating it.
  ///
  /// Accumulators are wider than storage (§5, §6: 32 or 48 bits) and their fl
  /// is the sum of the weight's and the input's.
  ///
  /// - Parameters:
  ///   - bits: A, in [2, 48].
  ///   - fractionalLength: fl_acc, in [−64, 128].
  /// - Returns: The validated accumulator format.
  /// - Throws: ``FixedPointError/bitsOutOfRange(bits:allowed:)`` or
  ///   ``FixedPointError/fractionalLengthOutOfRange(fractionalLength:allowed:)``.
  public static func accumulator(
    bits: Int, fractionalLength: Int
  ) throws(FixedPointError) -> QFormat {
    guard accumulatorBits.contains(bits) else {
      throw .bitsOutOfRange(bits: bits, allowed: accumulatorBits)
    }
    guard accumulatorFractionalLengths.contains(fractionalLength) else {
      throw .fractionalLengthOutOfRange(
        fractionalLength: fractionalLength,
        allowed: accumulatorFractionalLengths)
    }
    return QFormat(
      _unchecked: bits, fractionalLength: fractionalLength, signed: true,
      symmetric: false)
  }

  /// Integer positions (fl 0, signed, 32 bits): the format of TopK's
  /// indices in the bit-accurate executor.
  public static let indices = QFormat(
    _unchecked: 32, fractionalLength: 0, signed: true, symmetric: false)

  /// Builds a format whose parameters the caller has validated (B ≤ 62).
  @usableFromInline
  init(
    _unchecked bits: Int, fractionalLength: Int, signed: Bool, symmetric: Bool
  ) {
    self.bits = bits
    self.fractionalLength = fractionalLength
    self.isSigned = signed
    self.isSymmetric = symmetric && signed
    if signed {
      let half = Int64(1) << (bits - 1)
      self.rawMax = half - 1
      self.rawMin = symmetric ? -(half - 1) : -half
    } else {
      self.rawMin = 0
      self.rawMax = (Int64(1) << bits) - 1
    }
  }

  /// Integer length IL = B − fl, counting the sign bit (ap_fixed's I, §1).
  public var integerLength: Int { bits - fractionalLength }

  /// The value of one LSB, 2^(−fl) (exact).
  public var resolution: Double { FixedPoint._powerOfTwo(-fractionalLength) }

  /// The smallest representable value, R_min · 2^(−fl) (exact).
  public var minValue: Double { FixedPoint.dequantize(rawMin, from: self) }

  /// The largest representable value, R_max · 2^(−fl) (exact).
  public var maxValue: Double { FixedPoint.dequantize(rawMax, from: self) }

  /// Whether a raw integer lies in [R_min, R_max].
  @inlinable
  public func contains(_ raw: Int64) -> Bool { raw >= rawMin && raw <= rawMax }

  /// The same format with another fractional length (B, signedness and
  /// symmetry kept), validated as a storage format.
  ///
  /// - Throws: ``FixedPointError/fractionalLengthOutOfRange(fractionalLength:allowed:)``.
  public func with(fractionalLength: Int) throws(FixedPointError) -> QFormat {
    try QFormat(
      bits: bits, fractionalLength: fractionalLength, signed: isSigned,
      symmetric: isSymmetric)
  }
}
