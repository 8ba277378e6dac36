import NetworkGraph

extension ExtendedOperands {
  /// Pad-21: `pads` (input 1, begins then ends, negative crops),
  /// `constant_value` (input 2, 0 when absent) and `axes` (input 3), in
  /// mode constant, reflect (mirror without repeating the edge), edge or
  /// wrap.
  func pad(mode: String) throws(ExecutionError) -> FloatTensor {
    let x = try operand(0)
    let rank = x.shape.count
    guard let pads = try integers(1) else { throw failure("Pad needs pads") }
    let value = optional(2)?.values.first ?? 0
    var axes: [Int] = []
    for raw in try integers(3) ?? Array(0..<rank) {
      axes.append(try axis(raw, rank: rank))
    }
    guard pads.count == 2 * axes.count else {
      throw failure("pads has \(pads.count) values for \(axes.count) axes")
    }
    var begins = [Int](repeating: 0, count: rank)
    var ends = begins
    for (j, a) in axes.enumerated() {
      begins[a] = pads[j]
      ends[a] = pads[j + axes.count]
    }
    let shape = (0..<rank).map { x.shape[$0] + begins[$0] + ends[$0] }
    guard shape.allSatisfy({ $0 >= 0 }) else {
      throw failure("pads \(pads) crop more than \(x.shape)")
    }
    if mode != "constant" {
      for a in 0..<rank where x.shape[a] == 0 && shape[a] > 0 {
        throw failure("cannot \(mode)-pad the empty axis \(a)")
      }
    }
    // Per axis, the source coordinate of each output coordinate (-1: the
    // constant).
    var sources: [[Int]] = []
    for a in 0..<rank {
      let dim = x.shape[a]
      sources.append(
        (0..<shape[a]).map { c in
          var s = c - begins[a]
          if s >= 0 && s < dim { return s }
          switch mode {
          case "edge": return min(max(s, 0), dim - 1)
          case "wrap": return ((s % dim) + dim) % dim
          case "reflect":
            if dim == 1 { return 0 }
            let period = 2 * (dim - 1)
            s = ((s % period) + period) % period
            return s < dim ? s : period - s
          default: return -1
          }
        })
    }
    let count = FloatTensor.count(shape)
    let strides = rowMajorStrides(x.shape)
    var out = [Float](repeating: value, count: count)
    for i in 0..<count {
      var rest = i
      var source = 0
      var inside = true
      for a in stride(from: rank - 1, through: 0, by: -1) {
        let s = sources[a][rest % shape[a]]
        rest /= shape[a]
        if s < 0 { inside = false }
        source += s * strides[a]
      }
      if inside { out[i] = x.values[source] }
    }
    return FloatTensor(unchecked: shape, values: out)
  }
}
