/// What went wrong in a fixed-point format, configuration or conversion.
///
/// A closed set, thrown with Swift 6 typed throws (`throws(FixedPointError)`)
/// and returned in arrays by the load-time checks, which report every problem
/// at once. Rendering to English happens in the command-line layer.
public enum FixedPointError: Error, Hashable, Sendable {
  /// The storage width B is outside the allowed range (FIXED_POINT.md §1:
  /// [2, 32], 1 allowed for unsigned; accumulators [2, 48], §5).
  case bitsOutOfRange(bits: Int, allowed: ClosedRange<Int>)
  /// The fractional length fl is outside the allowed range (§1: [−32, 64];
  /// accumulators [−64, 128], the sum of two storage fls).
  case fractionalLengthOutOfRange(
    fractionalLength: Int, allowed: ClosedRange<Int>)
  /// A `symmetric` format must be signed (§1 defines it by R_min = −R_max).
  case symmetricRequiresSigned
  /// `symmetric` goes with `saturate` only (§12.8).
  case symmetricWithWrap
  /// A NaN reached quantization (§4 step 1).
  case notANumber
  /// With the `wrap` policy, |x · 2^fl| ≥ 2^62 is outside the modelled domain
  /// (§4 step 3). Carries the input value.
  case outOfModelledDomain(value: Double)
  /// A rational n/d was given a divisor d ≤ 0 (§2 needs d > 0).
  case nonPositiveDivisor(Int64)
  /// An average pool was given a window count N ≤ 0 (§5).
  case poolCountNotPositive(Int)
  /// An alignment shift exceeds what the exact integer datapath supports.
  case alignmentShiftTooLarge(shift: Int, limit: Int)
  /// The `reciprocal(k)` pooling variant needs k in `allowed` (§5).
  case reciprocalShiftOutOfRange(shift: Int, allowed: ClosedRange<Int>)
  /// B_w + B_x + ceil(log2 K) > 62: the exact Int64 dot product is not
  /// guaranteed (§5 Accumulator); `requiredBits` is the left-hand side.
  case accumulatorBoundExceeded(
    weightBits: Int, inputBits: Int, terms: Int, requiredBits: Int)
  /// The accumulator width A exceeds 48 bits (§5 Accumulator).
  case accumulatorTooWide(bits: Int, limit: Int)
  /// A dot product needs K ≥ 1 terms.
  case termCountNotPositive(Int)
  /// |fl_a − fl_b| + max(B_a, B_b) > 62 for a residual add (§5 Shift bounds);
  /// `requiredBits` is the left-hand side.
  case residualAlignmentExceeded(requiredBits: Int, limit: Int)
  /// A calibration magnitude is negative, infinite or NaN (§8 needs M ≥ 0).
  case invalidMagnitude(Double)
}
