/// TopK's selection, shared by the float and the fixed-point executors.
enum TopKSelection {
  /// The first `k` elements of every line along an axis, sorted largest
  /// (or smallest) first, equal values in index order (as onnxruntime), and
  /// their positions along the axis.
  ///
  /// `elements` is laid out `[outer, length, inner]` with the axis in the
  /// middle; the results are `[outer, k, inner]`.
  static func select<T: Comparable>(
    _ elements: [T], outer: Int, length: Int, inner: Int, k: Int,
    largest: Bool
  ) -> (values: [T], positions: [Int]) {
    guard let first = elements.first, k > 0 else { return ([], []) }
    var values = [T](repeating: first, count: outer * k * inner)
    var positions = [Int](repeating: 0, count: outer * k * inner)
    for o in 0..<outer {
      for i in 0..<inner {
        let base = o * length * inner + i
        let order = (0..<length).sorted { p, q in
          let u = elements[base + p * inner]
          let v = elements[base + q * inner]
          if u == v { return p < q }
          return largest ? u > v : u < v
        }
        for j in 0..<k {
          let position = o * k * inner + j * inner + i
          values[position] = elements[base + order[j] * inner]
          positions[position] = order[j]
        }
      }
    }
    return (values, positions)
  }
}
