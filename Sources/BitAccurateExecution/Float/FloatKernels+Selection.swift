import NetworkGraph

extension ExtendedOperands {
  /// The `[outer, length, inner]` view of a shape around `axis`.
  static func around(_ shape: [Int], axis: Int) -> (
    outer: Int, length: Int, inner: Int
  ) {
    (
      FloatTensor.count(Array(shape[..<axis])), shape[axis],
      FloatTensor.count(Array(shape[(axis + 1)...]))
    )
  }

  /// ArgMax-13 or ArgMin-13: the index of the largest (smallest) value
  /// along `axis`, the first of equal ones (the last with `last`), as an
  /// int64 tensor.
  func argExtreme(max: Bool, axis: Int, keepDims: Bool, last: Bool)
    throws(ExecutionError) -> FloatTensor
  {
    let x = try operand(0)
    let a = try self.axis(axis, rank: x.shape.count)
    let (outer, length, inner) = Self.around(x.shape, axis: a)
    guard length > 0 else { throw failure("axis \(axis) is empty") }
    var out = [Float](repeating: 0, count: outer * inner)
    for o in 0..<outer {
      for i in 0..<inner {
        let base = o * length * inner + i
        var best = 0
        for l in 1..<length {
          let v = x.values[base + l * inner]
          let b = x.values[base + best * inner]
          let better = max ? v > b : v < b
          if better || (last && v == b) { best = l }
        }
        out[o * inner + i] = Float(best)
      }
    }
    var shape = x.shape
    if keepDims { shape[a] = 1 } else { shape.remove(at: a) }
    return FloatTensor(unchecked: shape, values: out)
  }

  /// TopK-11: the `k` (input 1) largest or smallest values along `axis`,
  /// sorted, and their int64 indices; equal values in index order (as
  /// onnxruntime).
  func topK(axis: Int, largest: Bool) throws(ExecutionError) -> [FloatTensor] {
    let x = try operand(0)
    guard let k = try integers(1)?.first else {
      throw failure("TopK needs K (input 1)")
    }
    let a = try self.axis(axis, rank: x.shape.count)
    let (outer, length, inner) = Self.around(x.shape, axis: a)
    guard k >= 0, k <= length else {
      throw failure("K \(k) is outside 0…\(length)")
    }
    let (values, positions) = TopKSelection.select(
      x.values, outer: outer, length: length, inner: inner, k: k,
      largest: largest)
    let indices = positions.map { Float($0) }
    var shape = x.shape
    shape[a] = k
    return [
      FloatTensor(unchecked: shape, values: values),
      FloatTensor(unchecked: shape, values: indices),
    ]
  }
}
