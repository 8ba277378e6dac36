import NetworkGraph

extension ExtendedOperands {
  /// Copies the elements at `sources[axis][coordinate]` (per-axis source
  /// coordinates) into a tensor of their counts.
  static func select(_ x: FloatTensor, sources: [[Int]]) -> FloatTensor {
    let shape = sources.map(\.count)
    let count = FloatTensor.count(shape)
    let strides = rowMajorStrides(x.shape)
    var out = [Float](repeating: 0, count: count)
    for i in 0..<count {
      var rest = i
      var source = 0
      for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        source += sources[axis][rest % shape[axis]] * strides[axis]
        rest /= shape[axis]
      }
      out[i] = x.values[source]
    }
    return FloatTensor(unchecked: shape, values: out)
  }

  /// Slice-13 with `starts`, `ends`, optional `axes` and `steps` (inputs
  /// 1–4), clamped as the specification says (so INT64_MAX ends are fine).
  func slice() throws(ExecutionError) -> FloatTensor {
    let x = try operand(0)
    let rank = x.shape.count
    guard let starts = try integers(1), let ends = try integers(2),
      starts.count == ends.count
    else { throw failure("starts and ends must have the same length") }
    let axes = try integers(3) ?? Array(0..<starts.count)
    let steps = try integers(4) ?? Array(repeating: 1, count: starts.count)
    guard axes.count == starts.count, steps.count == starts.count else {
      throw failure("starts, ends, axes and steps must have the same length")
    }
    var sources = x.shape.map { Array(0..<$0) }
    for (j, rawAxis) in axes.enumerated() {
      let a = try axis(rawAxis, rank: rank)
      let dim = x.shape[a]
      let step = steps[j]
      guard step != 0 else { throw failure("a step is 0") }
      var start = starts[j] < 0 ? starts[j] + dim : starts[j]
      var end = ends[j] < 0 ? ends[j] + dim : ends[j]
      if step > 0 {
        start = min(max(start, 0), dim)
        end = min(max(end, 0), dim)
      } else {
        start = min(max(start, 0), dim - 1)
        end = min(max(end, -1), dim - 1)
      }
      sources[a] = Array(stride(from: start, to: end, by: step))
    }
    return Self.select(x, sources: sources)
  }

  /// Split-13/18 along `axis`: sizes from input 1, or as many equal parts
  /// as the node has outputs (the last smaller when they do not divide,
  /// Split-18).
  func split(axis: Int) throws(ExecutionError) -> [FloatTensor] {
    let x = try operand(0)
    let a = try self.axis(axis, rank: x.shape.count)
    let dim = x.shape[a]
    let parts = node.outputs.count
    var sizes: [Int]
    if let given = try integers(1) {
      sizes = given
    } else {
      let each = (dim + parts - 1) / max(parts, 1)
      sizes = (0..<parts).map { min(each, max(0, dim - $0 * each)) }
    }
    guard sizes.reduce(0, +) == dim, sizes.allSatisfy({ $0 >= 0 }) else {
      throw failure("split sizes \(sizes) do not add up to \(dim)")
    }
    var outputs: [FloatTensor] = []
    var offset = 0
    for size in sizes {
      var sources = x.shape.map { Array(0..<$0) }
      sources[a] = Array(offset..<(offset + size))
      outputs.append(Self.select(x, sources: sources))
      offset += size
    }
    return outputs
  }
}
