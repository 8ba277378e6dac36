import HardwareModel

/// Operand widths of one layer, in bits, and whether it computes in floating
/// point.
///
/// A precision file gives these per layer; a shorthand (`int8`) gives one
/// ``init(precision:)`` for every layer.
public struct LayerWidths: Hashable, Sendable {
  /// Bits per weight.
  public var weightBits: Int
  /// Bits per input activation.
  public var inputBits: Int
  /// Bits per output activation.
  public var outputBits: Int
  /// Bits of the accumulator (partial sums).
  public var accumulatorBits: Int
  /// Whether the arithmetic is floating point.
  public var isFloat: Bool

  /// Creates widths (each at least 1 bit).
  public init(
    weightBits: Int, inputBits: Int, outputBits: Int, accumulatorBits: Int,
    isFloat: Bool
  ) {
    self.weightBits = max(1, weightBits)
    self.inputBits = max(1, inputBits)
    self.outputBits = max(1, outputBits)
    self.accumulatorBits = max(1, accumulatorBits)
    self.isFloat = isFloat
  }

  /// The widths of a precision: operands at its width, the accumulator at
  /// ``defaultAccumulatorBits(for:)``.
  public init(precision: Precision) {
    self.init(
      weightBits: precision.bits, inputBits: precision.bits,
      outputBits: precision.bits,
      accumulatorBits: Self.defaultAccumulatorBits(for: precision),
      isFloat: precision.isFloatingPoint)
  }

  /// The usual accumulator of a precision (``AccumulatorRule``): 16 bits
  /// for int4, 32 for int8 and int16, the operand width for floating point.
  public static func defaultAccumulatorBits(for precision: Precision) -> Int {
    AccumulatorRule.bits(for: precision)
  }

  /// The wider of the two multiplier operands.
  public var operandBits: Int { max(weightBits, inputBits) }

  /// `w8a8o8acc32` or `fp16`.
  public var label: String {
    if isFloat, weightBits == inputBits, inputBits == outputBits {
      return "fp\(weightBits)"
    }
    if weightBits == inputBits, inputBits == outputBits,
      let p = Precision.allCases.first(where: {
        $0.bits == weightBits && !$0.isFloatingPoint
      }),
      accumulatorBits == Self.defaultAccumulatorBits(for: p)
    {
      return p.rawValue
    }
    return
      "w\(weightBits)a\(inputBits)o\(outputBits)acc\(accumulatorBits)\(isFloat ? "f" : "")"
  }
}
