import NetworkGraph

extension ExtendedOperands {
  /// Gather-13: slices of `data` along `axis` chosen by the integer
  /// `indices` (negative ones count from the end), shaped
  /// `data[..<axis] + indices + data[(axis+1)...]`; embeddings are Gather
  /// of token ids on axis 0.
  func gather(axis: Int) throws(ExecutionError) -> FloatTensor {
    let data = try operand(0)
    let indices = try operand(1)
    let a = try self.axis(axis, rank: data.shape.count)
    let (outer, length, inner) = Self.around(data.shape, axis: a)
    var rows: [Int] = []
    rows.reserveCapacity(indices.values.count)
    for (position, value) in indices.values.enumerated() {
      guard let index = Int(exactly: value), index >= -length, index < length
      else {
        throw failure(
          "index \(value) at position \(position) is outside "
            + "\(-length)…\(length - 1) (axis \(axis) of \(data.shape))")
      }
      rows.append(index < 0 ? index + length : index)
    }
    var out: [Float] = []
    out.reserveCapacity(outer * rows.count * inner)
    for o in 0..<outer {
      for row in rows {
        let base = (o * length + row) * inner
        out.append(contentsOf: data.values[base..<(base + inner)])
      }
    }
    let shape =
      Array(data.shape[..<a]) + indices.shape + Array(data.shape[(a + 1)...])
    return FloatTensor(unchecked: shape, values: out)
  }
}
