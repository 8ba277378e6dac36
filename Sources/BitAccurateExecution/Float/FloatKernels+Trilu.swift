import NetworkGraph

extension ExtendedOperands {
  /// Trilu-14: of each matrix in the last two axes, keep the elements with
  /// `column − row ≥ k` (upper) or `≤ k` (lower), `k` from input 1 (0 when
  /// absent); the rest become 0.
  func trilu(upper: Bool) throws(ExecutionError) -> FloatTensor {
    let x = try operand(0)
    guard x.shape.count >= 2 else {
      throw failure("input \(x.shape) must have rank ≥ 2")
    }
    let k = try integers(1)?.first ?? 0
    let rows = x.shape[x.shape.count - 2]
    let columns = x.shape[x.shape.count - 1]
    var out = x.values
    for index in out.indices {
      let column = index % columns
      let row = (index / columns) % rows
      let keep = upper ? column - row >= k : column - row <= k
      if !keep { out[index] = 0 }
    }
    return FloatTensor(unchecked: x.shape, values: out)
  }
}
