/// A constant tensor (an initializer): a name, an element type, a shape and,
/// when available, its values in a flat row-major array.
///
/// Floating-point tensors of any width are held as `Float` (float32) values,
/// which is what the float executor computes with; integer and boolean tensors
/// (shapes, axes, indices) are held exactly as `Int64`. The data may be
/// ``Storage/absent`` when the weights live in an external file that is
/// missing: shape inference, passes and counting still work, while execution
/// refuses the tensor.
public struct Tensor: Hashable, Sendable {
  /// Where a tensor's values are.
  public enum Storage: Hashable, Sendable {
    /// Float values, row-major, `shape.elementCount` of them.
    case float32([Float])
    /// Integer or boolean values, row-major, `shape.elementCount` of them.
    case int64([Int64])
    /// No data: only the shape and type are known.
    case absent
  }

  /// The tensor's name, unique in its network.
  public var name: String
  /// The element type the model declares (and weight bytes are counted at).
  public var elementType: ElementType
  /// The shape.
  public var shape: TensorShape
  /// The values, or ``Storage/absent``.
  public private(set) var storage: Storage

  /// Creates a floating-point tensor from row-major values.
  ///
  /// - Throws: ``NetworkError/invalidTensor(name:message:)`` when the value
  ///   count differs from the shape's element count.
  public init(
    name: String, elementType: ElementType = .float32, shape: TensorShape,
    values: [Float]
  ) throws(NetworkError) {
    guard values.count == shape.elementCount else {
      throw .invalidTensor(
        name: name,
        message: "\(values.count) values for shape \(shape) "
          + "(\(shape.elementCount) elements)")
    }
    self.name = name
    self.elementType = elementType
    self.shape = shape
    self.storage = .float32(values)
  }

  /// Creates an integer or boolean tensor from row-major values.
  ///
  /// - Throws: ``NetworkError/invalidTensor(name:message:)`` when the value
  ///   count differs from the shape's element count.
  public init(
    name: String, elementType: ElementType = .int64, shape: TensorShape,
    integers: [Int64]
  ) throws(NetworkError) {
    guard integers.count == shape.elementCount else {
      throw .invalidTensor(
        name: name,
        message: "\(integers.count) values for shape \(shape) "
          + "(\(shape.elementCount) elements)")
    }
    self.name = name
    self.elementType = elementType
    self.shape = shape
    self.storage = .int64(integers)
  }

  /// Creates a tensor whose data is not available (shape-only models).
  public init(
    absentDataNamed name: String, elementType: ElementType, shape: TensorShape
  ) {
    self.name = name
    self.elementType = elementType
    self.shape = shape
    self.storage = .absent
  }

  /// Whether the values are present.
  public var hasData: Bool {
    if case .absent = storage { return false }
    return true
  }

  /// The values as `Float`, converting integers; `nil` when absent.
  public var floatValues: [Float]? {
    switch storage {
    case .float32(let values): values
    case .int64(let values): values.map { Float($0) }
    case .absent: nil
    }
  }

  /// The values as integers when the tensor holds integers; `nil` otherwise.
  public var integerValues: [Int64]? {
    if case .int64(let values) = storage { return values }
    return nil
  }

  /// The name, type and shape without the data.
  public var descriptor: TensorDescriptor {
    TensorDescriptor(name: name, elementType: elementType, shape: shape)
  }
}
