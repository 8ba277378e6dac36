/// Why bytes could not be read as a NumPy `.npy` array, or an array could not
/// be written.
///
/// Every malformed input maps to one case; decoding never traps.
public enum NumPyError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The first six bytes are not `\x93NUMPY`.
  case badMagic
  /// The input ends before a part that must be there.
  case truncated(part: String, needed: Int, available: Int)
  /// The format version is not 1.0, 2.0 or 3.0.
  case unsupportedVersion(major: UInt8, minor: UInt8)
  /// The header is not valid text in its version's encoding.
  case headerEncoding
  /// The header dictionary cannot be parsed; the message says where.
  case malformedHeader(String)
  /// A required key (`descr`, `fortran_order`, `shape`) is absent.
  case missingKey(String)
  /// The dtype string is not one this module reads.
  case unsupportedDType(String)
  /// The dtype is big-endian (`>f4`).
  case bigEndian(String)
  /// The array is stored in Fortran (column-major) order.
  case fortranOrder
  /// A dimension is negative.
  case negativeDimension([Int])
  /// The shape's element or byte count overflows or exceeds the limit.
  case shapeTooLarge([Int])
  /// The data section has the wrong length for the shape and dtype.
  case dataLength(expected: Int, actual: Int)
  /// Values and shape disagree when building an array to write.
  case valueCount(expected: Int, actual: Int)

  /// The problem in one sentence.
  public var description: String {
    switch self {
    case .badMagic:
      "not a NumPy .npy file: the magic string \\x93NUMPY is missing"
    case .truncated(let part, let needed, let available):
      ".npy data is truncated: the \(part) needs \(needed) bytes, \(available) remain"
    case .unsupportedVersion(let major, let minor):
      "unsupported .npy format version \(major).\(minor) (1.0, 2.0 and 3.0 are read)"
    case .headerEncoding:
      "the .npy header is not valid text"
    case .malformedHeader(let detail):
      "the .npy header is malformed: \(detail)"
    case .missingKey(let key):
      "the .npy header has no '\(key)' key"
    case .unsupportedDType(let descr):
      "unsupported .npy dtype '\(descr)' (supported: "
        + NumPyArray.ElementKind.allCases.map(\.descr).joined(separator: ", ")
        + ")"
    case .bigEndian(let descr):
      "big-endian .npy dtype '\(descr)' is not supported; save the array as little-endian"
    case .fortranOrder:
      "the .npy array is in Fortran order; save it in C order (numpy.ascontiguousarray)"
    case .negativeDimension(let shape):
      "the .npy shape \(Self.tuple(shape)) has a negative dimension"
    case .shapeTooLarge(let shape):
      "the .npy shape \(Self.tuple(shape)) has too many elements"
    case .dataLength(let expected, let actual):
      "the .npy data section has \(actual) bytes; the shape and dtype need \(expected)"
    case .valueCount(let expected, let actual):
      "\(actual) values do not fill a shape of \(expected) elements"
    }
  }

  static func tuple(_ shape: [Int]) -> String {
    "(" + shape.map(String.init).joined(separator: ", ")
      + (shape.count == 1 ? ",)" : ")")
  }
}
