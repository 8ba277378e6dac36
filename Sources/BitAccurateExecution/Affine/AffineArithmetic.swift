import NetworkGraph

/// The affine (scale and zero point) number format of ONNX's quantized
/// operators, as `Documentation/Quantization.md` ("Affine integers")
/// defines it: a stored integer `q` of an integer type stands for the real
/// value `(q − z) · s`, with a float32 scale `s > 0` and a zero point `z` of
/// the same type as `q`.
///
/// Every function here computes exactly what onnxruntime's x86-64 CPU
/// kernels compute (MLAS `MlasQuantizeLinear`, `MlasRequantizeOutput`):
/// float32 arithmetic where they use float32, int32 where they use int32,
/// rounding half to even, saturation to the type's range.
public enum AffineArithmetic {
  /// The closed range of an integer element type: uint8 [0, 255], int8
  /// [−128, 127], int32 [−2³¹, 2³¹ − 1]; `nil` for other types.
  public static func range(of type: ElementType) -> ClosedRange<Int64>? {
    switch type {
    case .uint8: 0...255
    case .int8: -128...127
    case .int16: Int64(Int16.min)...Int64(Int16.max)
    case .int32: Int64(Int32.min)...Int64(Int32.max)
    default: nil
    }
  }

  /// Saturates `value` to `range`.
  @inline(__always)
  static func saturate(_ value: Int64, _ range: ClosedRange<Int64>) -> Int64 {
    min(max(value, range.lowerBound), range.upperBound)
  }

  /// QuantizeLinear of one value.
  ///
  /// `saturate(roundHalfEven(x / s) + z)`, the division in float32. ±∞
  /// saturate; NaN (which callers refuse first) gives the zero point.
  @inline(__always)
  public static func quantize(
    _ x: Float, scale: Float, zeroPoint: Int64, range: ClosedRange<Int64>
  ) -> Int64 {
    let scaled = (x / scale).rounded(.toNearestOrEven)
    if scaled.isNaN { return saturate(zeroPoint, range) }
    if scaled >= Float(range.upperBound - zeroPoint) {
      return range.upperBound
    }
    if scaled <= Float(range.lowerBound - zeroPoint) {
      return range.lowerBound
    }
    return saturate(Int64(scaled) + zeroPoint, range)
  }

  /// DequantizeLinear: `Float(q − z) · s` in float32 (the difference is an
  /// exact integer).
  @inline(__always)
  public static func dequantize(_ q: Int64, scale: Float, zeroPoint: Int64)
    -> Float
  {
    Float(q - zeroPoint) * scale
  }

  /// The real multiplier of a requantization, `(s_x · s_w) / s_y`, in
  /// float32 and in that order (onnxruntime's `ComputeOutputScale` of
  /// QLinearConv, QLinearMatMul and QGemm).
  @inline(__always)
  public static func multiplier(
    inputScale: Float, weightScale: Float, outputScale: Float
  ) -> Float {
    (inputScale * weightScale) / outputScale
  }

  /// Requantizes an int32 accumulator (bias included):
  /// `saturate(roundHalfEven(Float(acc) · m) + z)`, where `Float(acc)` rounds
  /// to nearest even (as `cvtdq2ps` does) and the product is float32.
  @inline(__always)
  public static func requantize(
    _ accumulator: Int32, multiplier: Float, zeroPoint: Int64,
    range: ClosedRange<Int64>
  ) -> Int64 {
    let scaled = (Float(accumulator) * multiplier).rounded(.toNearestOrEven)
    if scaled.isNaN { return saturate(zeroPoint, range) }
    if scaled >= Float(range.upperBound - zeroPoint) {
      return range.upperBound
    }
    if scaled <= Float(range.lowerBound - zeroPoint) {
      return range.lowerBound
    }
    return saturate(Int64(scaled) + zeroPoint, range)
  }
}
