import HardwareModel

/// The one rule for the width of an accumulator when a description does not
/// state it: the simulator's shorthands (`int8`), a sweep's per-layer bits,
/// and a precision file's layers without an `accumulator` all use it.
///
/// - floating point: the operand width (fp16 accumulates in 16 bits, fp32
///   in 32);
/// - integers whose product has at most 8 bits (int4 × int4): 16 bits;
/// - wider integers: the product's width, at least 32 bits (TFLite and
///   CMSIS-NN accumulate int8 and int16 in 32 bits).
public enum AccumulatorRule {
  /// The accumulator's bits for operands of these widths.
  public static func bits(weightBits: Int, inputBits: Int, isFloat: Bool)
    -> Int
  {
    if isFloat { return max(weightBits, inputBits) }
    let product = weightBits + inputBits
    return product <= 8 ? 16 : max(32, product)
  }

  /// The accumulator of a precision used for every operand.
  public static func bits(for precision: Precision) -> Int {
    bits(
      weightBits: precision.bits, inputBits: precision.bits,
      isFloat: precision.isFloatingPoint)
  }
}
