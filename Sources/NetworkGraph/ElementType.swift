/// The element type of a tensor, as ONNX's `TensorProto.DataType` names it.
///
/// Only the types EdgeSim reads are listed. The raw value is the ONNX
/// `DataType` enumeration number (onnx.proto, `TensorProto.DataType`), so an
/// importer can map a protobuf field with `ElementType(rawValue:)`.
public enum ElementType: Int, Hashable, Sendable, CaseIterable,
  CustomStringConvertible
{
  /// IEEE 754 binary32 (`FLOAT`).
  case float32 = 1
  /// Unsigned 8-bit integer (`UINT8`).
  case uint8 = 2
  /// Signed 8-bit integer (`INT8`).
  case int8 = 3
  /// Signed 16-bit integer (`INT16`).
  case int16 = 5
  /// Signed 32-bit integer (`INT32`).
  case int32 = 6
  /// Signed 64-bit integer (`INT64`), used for shapes and indices.
  case int64 = 7
  /// Boolean, stored as one byte (`BOOL`).
  case bool = 9
  /// IEEE 754 binary16 (`FLOAT16`).
  case float16 = 10
  /// IEEE 754 binary64 (`DOUBLE`).
  case float64 = 11

  /// The size of one element in bytes, as stored in ONNX `raw_data` and NumPy.
  public var byteSize: Int {
    switch self {
    case .bool, .int8, .uint8: 1
    case .int16, .float16: 2
    case .int32, .float32: 4
    case .int64, .float64: 8
    }
  }

  /// Whether the type is a floating-point type.
  public var isFloatingPoint: Bool {
    switch self {
    case .float16, .float32, .float64: true
    default: false
    }
  }

  /// The lower-case name used in messages and reports (`float32`, `int8`).
  public var description: String {
    switch self {
    case .float32: "float32"
    case .float16: "float16"
    case .float64: "float64"
    case .int8: "int8"
    case .uint8: "uint8"
    case .int16: "int16"
    case .int32: "int32"
    case .int64: "int64"
    case .bool: "bool"
    }
  }
}
