import NetworkGraph

/// An n-dimensional array as stored in a NumPy `.npy` file: a shape in C
/// (row-major) order and typed values.
///
/// ```swift
/// let array = try NumPyArray(npy: bytes)
/// array.shape            // [1, 3, 224, 224]
/// let x = array.float32Values
/// let bytes = try NumPyArray(float32: x, shape: [1, 3, 224, 224]).npyBytes()
/// ```
public struct NumPyArray: Hashable, Sendable {
  /// The element types this module reads and writes, with their NumPy dtype
  /// strings (little-endian, as NumPy writes on every common machine).
  public enum ElementKind: String, Hashable, Sendable, CaseIterable {
    /// `<f4`.
    case float32
    /// `<f8`.
    case float64
    /// `|i1`.
    case int8
    /// `<i2`.
    case int16
    /// `<i4`.
    case int32
    /// `<i8`.
    case int64
    /// `|u1`.
    case uint8
    /// `|b1`.
    case bool

    /// The dtype string NumPy writes for this kind.
    public var descr: String {
      switch self {
      case .float32: "<f4"
      case .float64: "<f8"
      case .int8: "|i1"
      case .int16: "<i2"
      case .int32: "<i4"
      case .int64: "<i8"
      case .uint8: "|u1"
      case .bool: "|b1"
      }
    }

    /// Bytes per element.
    public var byteSize: Int {
      switch self {
      case .int8, .uint8, .bool: 1
      case .int16: 2
      case .float32, .int32: 4
      case .float64, .int64: 8
      }
    }

    /// The matching IR element type.
    public var elementType: ElementType {
      switch self {
      case .float32: .float32
      case .float64: .float64
      case .int8: .int8
      case .int16: .int16
      case .int32: .int32
      case .int64: .int64
      case .uint8: .uint8
      case .bool: .bool
      }
    }
  }

  /// The values, row-major, in their stored type.
  public enum Values: Hashable, Sendable {
    /// `<f4` values.
    case float32([Float])
    /// `<f8` values.
    case float64([Double])
    /// `|i1` values.
    case int8([Int8])
    /// `<i2` values.
    case int16([Int16])
    /// `<i4` values.
    case int32([Int32])
    /// `<i8` values.
    case int64([Int64])
    /// `|u1` values.
    case uint8([UInt8])
    /// `|b1` values.
    case bool([Bool])

    /// The element kind.
    public var kind: ElementKind {
      switch self {
      case .float32: .float32
      case .float64: .float64
      case .int8: .int8
      case .int16: .int16
      case .int32: .int32
      case .int64: .int64
      case .uint8: .uint8
      case .bool: .bool
      }
    }

    /// The number of values.
    public var count: Int {
      switch self {
      case .float32(let v): v.count
      case .float64(let v): v.count
      case .int8(let v): v.count
      case .int16(let v): v.count
      case .int32(let v): v.count
      case .int64(let v): v.count
      case .uint8(let v): v.count
      case .bool(let v): v.count
      }
    }
  }

  /// The dimensions, outermost first; `[]` for a 0-d array.
  public let shape: [Int]
  /// The values, row-major.
  public let values: Values

  /// Creates an array, checking that the values fill the shape.
  ///
  /// - Throws: ``NumPyError/negativeDimension(_:)``,
  ///   ``NumPyError/shapeTooLarge(_:)`` or ``NumPyError/valueCount(expected:actual:)``.
  public init(shape: [Int], values: Values) throws(NumPyError) {
    let count = try Self.elementCount(shape)
    guard count == values.count else {
      throw .valueCount(expected: count, actual: values.count)
    }
    self.shape = shape
    self.values = values
  }

  /// Creates a float32 array.
  public init(float32 values: [Float], shape: [Int]) throws(NumPyError) {
    try self.init(shape: shape, values: .float32(values))
  }

  /// Creates an int64 array.
  public init(int64 values: [Int64], shape: [Int]) throws(NumPyError) {
    try self.init(shape: shape, values: .int64(values))
  }

  /// The element kind.
  public var kind: ElementKind { values.kind }

  /// The values converted to `Float` (integers and doubles rounded to
  /// nearest, `true` as 1).
  public var float32Values: [Float] {
    switch values {
    case .float32(let v): v
    case .float64(let v): v.map { Float($0) }
    case .int8(let v): v.map { Float($0) }
    case .int16(let v): v.map { Float($0) }
    case .int32(let v): v.map { Float($0) }
    case .int64(let v): v.map { Float($0) }
    case .uint8(let v): v.map { Float($0) }
    case .bool(let v): v.map { $0 ? 1 : 0 }
    }
  }

  /// The array as an IR constant tensor: floats as float32 values, integers
  /// and booleans as exact `Int64` values.
  ///
  /// - Throws: A ``NetworkError`` when the shape exceeds the IR's limits.
  public func tensor(named name: String) throws(NetworkError) -> Tensor {
    let shape = try TensorShape(self.shape)
    switch values {
    case .float32, .float64:
      return try Tensor(
        name: name, elementType: kind.elementType, shape: shape,
        values: float32Values)
    case .int8(let v):
      return try Tensor(
        name: name, elementType: .int8, shape: shape,
        integers: v.map(Int64.init))
    case .int16(let v):
      return try Tensor(
        name: name, elementType: .int16, shape: shape,
        integers: v.map(Int64.init))
    case .int32(let v):
      return try Tensor(
        name: name, elementType: .int32, shape: shape,
        integers: v.map(Int64.init))
    case .int64(let v):
      return try Tensor(
        name: name, elementType: .int64, shape: shape, integers: v)
    case .uint8(let v):
      return try Tensor(
        name: name, elementType: .uint8, shape: shape,
        integers: v.map(Int64.init))
    case .bool(let v):
      return try Tensor(
        name: name, elementType: .bool, shape: shape,
        integers: v.map { $0 ? 1 : 0 })
    }
  }

  /// The largest element count accepted: 2^40, as in the IR.
  public static let maximumElementCount = TensorShape.maximumElementCount

  static func elementCount(_ shape: [Int]) throws(NumPyError) -> Int {
    var count = 1
    for dim in shape where dim < 0 { throw .negativeDimension(shape) }
    if shape.contains(0) {
      guard shape.allSatisfy({ $0 <= maximumElementCount }) else {
        throw .shapeTooLarge(shape)
      }
      return 0
    }
    for dim in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: dim)
      guard !overflow, product <= maximumElementCount else {
        throw .shapeTooLarge(shape)
      }
      count = product
    }
    return count
  }
}
