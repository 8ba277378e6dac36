import NetworkGraph

/// A dense tensor of integers of one ONNX element type (uint8, int8, int32),
/// row-major; the values of an affine run (`Documentation/Quantization.md`,
/// "Affine integers").
public struct IntegerTensor: Hashable, Sendable {
  /// The dimensions, outermost first.
  public var shape: [Int]
  /// The values, each within `elementType`'s range.
  public var values: [Int64]
  /// The stored type.
  public var elementType: ElementType

  /// Creates a tensor; the caller guarantees the count matches the shape.
  public init(shape: [Int], values: [Int64], elementType: ElementType) {
    self.shape = shape
    self.values = values
    self.elementType = elementType
  }

  /// The values as Float32 (exact for 8-bit types and integers below 2²⁴),
  /// for data movement run by the float kernels.
  var floatTensor: FloatTensor {
    FloatTensor(unchecked: shape, values: values.map { Float($0) })
  }

  /// Joins tensors along the first (batch) axis.
  ///
  /// - Throws: ``ExecutionError/shapeMismatch(tensor:message:)`` when the
  ///   pieces differ in type or in a dimension after the first.
  public static func concatenating(_ pieces: [IntegerTensor])
    throws(ExecutionError) -> IntegerTensor
  {
    guard var result = pieces.first else {
      throw .invalidInput(message: "no output to join")
    }
    for piece in pieces.dropFirst() {
      guard piece.elementType == result.elementType,
        piece.shape.dropFirst() == result.shape.dropFirst(),
        !piece.shape.isEmpty
      else {
        throw .shapeMismatch(
          tensor: "", message: "batch slices of different shapes")
      }
      result.shape[0] += piece.shape[0]
      result.values += piece.values
    }
    return result
  }
}

/// A value of an affine run: float (between a DequantizeLinear and a
/// QuantizeLinear) or integer.
public enum AffineValue: Hashable, Sendable {
  /// A float32 tensor.
  case float(FloatTensor)
  /// An integer tensor.
  case integer(IntegerTensor)

  /// The shape.
  public var shape: [Int] {
    switch self {
    case .float(let tensor): tensor.shape
    case .integer(let tensor): tensor.shape
    }
  }

  /// The values as Float32 (integers converted, not dequantized).
  public var floatTensor: FloatTensor {
    switch self {
    case .float(let tensor): tensor
    case .integer(let tensor): tensor.floatTensor
    }
  }
}
