import NetworkGraph

/// A small constant tensor in the import-time evaluator: an element type,
/// dimensions and row-major values (floating-point types as `Float`,
/// integer and boolean types as `Int64`).
struct ConstantValue {
  var elementType: ElementType
  var dims: [Int]
  var values: DecodedValues

  init(elementType: ElementType, dims: [Int], values: DecodedValues) {
    self.elementType = elementType
    self.dims = dims
    self.values = values
  }

  /// A 1-D int64 tensor.
  init(int64s: [Int64]) {
    self.init(
      elementType: .int64, dims: [int64s.count], values: .integers(int64s))
  }

  /// The tensor's values, or `nil` when its data is absent.
  init?(_ tensor: Tensor) {
    switch tensor.storage {
    case .float32(let values): self.values = .floats(values)
    case .int64(let values): self.values = .integers(values)
    case .absent: return nil
    }
    self.elementType = tensor.elementType
    self.dims = tensor.shape.dims
  }

  /// The number of elements.
  var count: Int {
    switch values {
    case .floats(let values): values.count
    case .integers(let values): values.count
    }
  }

  /// The values when they are integers.
  var integers: [Int64]? {
    if case .integers(let values) = values { return values }
    return nil
  }

  /// The elements at `indices` (row-major positions), as a tensor of `dims`.
  func selecting(_ indices: [Int], dims: [Int]) -> ConstantValue {
    switch values {
    case .floats(let values):
      ConstantValue(
        elementType: elementType, dims: dims,
        values: .floats(indices.map { values[$0] }))
    case .integers(let values):
      ConstantValue(
        elementType: elementType, dims: dims,
        values: .integers(indices.map { values[$0] }))
    }
  }

  /// The same values with other dimensions (same element count).
  func reshaped(_ dims: [Int]) -> ConstantValue {
    ConstantValue(elementType: elementType, dims: dims, values: values)
  }

  /// The value as an initializer named `name`.
  func tensor(named name: String) throws(NetworkError) -> Tensor {
    let shape = try TensorShape(dims)
    switch values {
    case .floats(let values):
      return try Tensor(
        name: name, elementType: elementType, shape: shape, values: values)
    case .integers(let values):
      return try Tensor(
        name: name, elementType: elementType, shape: shape, integers: values)
    }
  }

  /// Row-major strides of `dims`.
  static func strides(_ dims: [Int]) -> [Int] {
    var strides = Array(repeating: 1, count: dims.count)
    var stride = 1
    for axis in dims.indices.reversed() {
      strides[axis] = stride
      stride *= dims[axis]
    }
    return strides
  }

  /// For each element of an output shaped by the cartesian product of
  /// `positions` (one list of source coordinates per axis), its row-major
  /// index in a source of `dims`.
  static func gatherIndices(positions: [[Int]], sourceDims dims: [Int]) -> [Int]
  {
    let strides = strides(dims)
    var result: [Int] = [0]
    for (axis, list) in positions.enumerated() {
      var next: [Int] = []
      next.reserveCapacity(result.count * list.count)
      for base in result {
        for position in list { next.append(base + position * strides[axis]) }
      }
      result = next
    }
    return result
  }
}
