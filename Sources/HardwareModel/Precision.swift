/// A numeric precision a device computes in.
///
/// Integer precisions are fixed point (the fractional length is a property of
/// the tensor, not of the hardware); `fp16` and `fp32` are IEEE binary16 and
/// binary32.
public enum Precision: String, Sendable, CaseIterable, Hashable, Comparable {
  /// 4-bit integer.
  case int4
  /// 8-bit integer.
  case int8
  /// 16-bit integer.
  case int16
  /// IEEE binary16.
  case fp16
  /// IEEE binary32.
  case fp32

  /// Storage bits of one operand.
  public var bits: Int {
    switch self {
    case .int4: 4
    case .int8: 8
    case .int16, .fp16: 16
    case .fp32: 32
    }
  }

  /// Whether the precision is floating point.
  public var isFloatingPoint: Bool { self == .fp16 || self == .fp32 }

  /// Orders by the table above (narrow integers first).
  public static func < (lhs: Precision, rhs: Precision) -> Bool {
    lhs.order < rhs.order
  }

  private var order: Int {
    switch self {
    case .int4: 0
    case .int8: 1
    case .int16: 2
    case .fp16: 3
    case .fp32: 4
    }
  }
}
