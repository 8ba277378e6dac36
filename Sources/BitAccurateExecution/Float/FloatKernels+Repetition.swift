import NetworkGraph

extension ExtendedOperands {
  /// Expand-13: `input` broadcast with the shape of input 1 (both ways, as
  /// NumPy: the output shape is the broadcast of the two).
  func expand() throws(ExecutionError) -> FloatTensor {
    let x = try operand(0)
    guard let target = try integers(1) else {
      throw failure("Expand needs a shape (input 1)")
    }
    guard let plan = Broadcast(x.shape, target) else {
      throw .shapeMismatch(
        tensor: node.name, message: "\(x.shape) does not expand to \(target)")
    }
    return FloatTensor(
      unchecked: plan.shape, values: plan.aIndex.map { x.values[$0] })
  }

  /// Tile-13: `input` repeated `repeats[axis]` times along each axis.
  func tile() throws(ExecutionError) -> FloatTensor {
    let x = try operand(0)
    guard let repeats = try integers(1), repeats.count == x.shape.count,
      repeats.allSatisfy({ $0 >= 0 })
    else {
      throw failure(
        "repeats must hold \(x.shape.count) non-negative values")
    }
    let shape = zip(x.shape, repeats).map { $0 * $1 }
    let count = FloatTensor.count(shape)
    let strides = rowMajorStrides(x.shape)
    var out = [Float](repeating: 0, count: count)
    for i in 0..<count {
      var rest = i
      var source = 0
      for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        let coordinate = rest % shape[axis]
        rest /= shape[axis]
        source += (coordinate % x.shape[axis]) * strides[axis]
      }
      out[i] = x.values[source]
    }
    return FloatTensor(unchecked: shape, values: out)
  }
}
