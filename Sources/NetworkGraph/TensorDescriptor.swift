/// A named tensor's element type and concrete shape, without data.
///
/// Shape inference returns one descriptor per tensor in the graph; the
/// simulator needs nothing more.
public struct TensorDescriptor: Hashable, Sendable {
  /// The tensor's name, unique in its network.
  public var name: String
  /// The element type.
  public var elementType: ElementType
  /// The shape.
  public var shape: TensorShape

  /// Creates a descriptor.
  public init(name: String, elementType: ElementType, shape: TensorShape) {
    self.name = name
    self.elementType = elementType
    self.shape = shape
  }

  /// The size in bytes at the element type.
  ///
  /// Never overflows: a shape has at most 2^40 elements of at most 8 bytes.
  public var byteCount: Int { shape.elementCount * elementType.byteSize }
}

/// One dimension of a graph input: a number, or a symbol such as `N` or
/// `batch_size` that is bound later.
public enum Dimension: Hashable, Sendable, CustomStringConvertible {
  /// A concrete size (at least zero once validated).
  case fixed(Int)
  /// A named, not yet known size (ONNX `dim_param`).
  case symbolic(String)

  /// `3` or `N`.
  public var description: String {
    switch self {
    case .fixed(let value): String(value)
    case .symbolic(let name): name
    }
  }
}

/// A graph input: a tensor fed from outside, whose dimensions may be symbolic.
///
/// Shape inference needs every dimension fixed; bind symbolic dimensions with
/// ``Network/bindingBatch(_:)`` or ``Network/bindingDimensions(_:)``.
public struct GraphInput: Hashable, Sendable {
  /// The tensor's name.
  public var name: String
  /// The element type.
  public var elementType: ElementType
  /// The dimensions, outermost first.
  public var dimensions: [Dimension]

  /// Creates an input with possibly symbolic dimensions.
  public init(
    name: String, elementType: ElementType = .float32, dimensions: [Dimension]
  ) {
    self.name = name
    self.elementType = elementType
    self.dimensions = dimensions
  }

  /// Creates an input with a concrete shape.
  public init(name: String, elementType: ElementType = .float32, shape: [Int]) {
    self.init(
      name: name, elementType: elementType, dimensions: shape.map { .fixed($0) }
    )
  }

  /// The concrete shape.
  ///
  /// - Throws: ``NetworkError/unboundDimension(input:symbol:)`` for a
  ///   symbolic dimension, or a shape error for a negative or huge one.
  public func shape() throws(NetworkError) -> TensorShape {
    var dims: [Int] = []
    dims.reserveCapacity(dimensions.count)
    for dimension in dimensions {
      switch dimension {
      case .fixed(let value): dims.append(value)
      case .symbolic(let symbol):
        throw .unboundDimension(input: name, symbol: symbol)
      }
    }
    return try TensorShape(dims, tensor: name)
  }
}
