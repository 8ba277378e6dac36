import FixedPointArithmetic

/// A ReLU or Clip fused into a requantization: min(max(v, lower), upper) on
/// each output raw v, after the output format's saturation and its events
/// (FIXED_POINT.md §5, §12.4: the same integers as the separate node, which
/// counts no events of its own).
struct OutputClamp: Sendable, Equatable {
  /// The clamp's lower bound in raws (`.min`: none).
  var lower: Int64
  /// The clamp's upper bound in raws (`.max`: none).
  var upper: Int64

  /// No clamp.
  static let unbounded = OutputClamp(lower: .min, upper: .max)
  /// ReLU: raws below 0 become 0.
  static let relu = OutputClamp(lower: 0, upper: .max)

  /// The clamp applied to one raw.
  @inline(__always)
  func apply(_ value: Int64) -> Int64 {
    min(max(value, lower), upper)
  }

  /// The bottom and top of a saturating epilogue into `format`.
  ///
  /// For every r, `min(max(min(r, rawMax), bottom), top)` with bottom =
  /// max(rawMin, lower) and top = min(rawMax, upper) equals
  /// `apply(max(min(r, rawMax), rawMin))`. Exact whenever lower ≤ rawMax (a Clip's raw bounds always are: they are
  /// quantized saturating into the format); top may lie below bottom (a Clip
  /// whose min exceeds its max gives `upper` everywhere, as ONNX does).
  func bounds(in format: QFormat) -> (bottom: Int64, top: Int64) {
    (max(format.rawMin, lower), min(format.rawMax, upper))
  }
}
