import NetworkGraph

extension ExtendedOperands {
  /// ConstantOfShape-20: the shape in input 0 filled with `value`.
  func constantOfShape(value: Float) throws(ExecutionError) -> FloatTensor {
    guard let shape = try integers(0), shape.allSatisfy({ $0 >= 0 }) else {
      throw failure("the shape (input 0) must hold non-negative integers")
    }
    let count = FloatTensor.count(shape)
    guard count <= 1 << 31 else { throw failure("shape \(shape) is too large") }
    return FloatTensor(
      unchecked: shape, values: [Float](repeating: value, count: count))
  }

  /// Range-11: `start`, `start + delta`, … below `limit` (above it for a
  /// negative delta); `max(ceil((limit − start) / delta), 0)` values, each
  /// the previous plus delta in Float32 (as onnxruntime accumulates).
  func range() throws(ExecutionError) -> FloatTensor {
    guard let start = try operand(0).values.first,
      let limit = try operand(1).values.first,
      let delta = try operand(2).values.first, delta != 0
    else { throw failure("start, limit and a non-zero delta are needed") }
    let steps = (Double(limit) - Double(start)) / Double(delta)
    guard steps.isFinite, steps < Double(1 << 31) else {
      throw failure("Range of \(steps) values is too large")
    }
    let count = max(Int(steps.rounded(.up)), 0)
    var out = [Float](repeating: 0, count: count)
    let integer = !type(0).isFloatingPoint
    for i in 0..<count {
      out[i] =
        integer
        ? start + Float(i) * delta : (i == 0 ? start : out[i - 1] + delta)
    }
    return FloatTensor(unchecked: [count], values: out)
  }

  /// Shape-15: `dims[start..<end]` of input 0 (clamped), as int64.
  func shape(start: Int, end: Int?) throws(ExecutionError) -> FloatTensor {
    let dims = try operand(0).shape
    let rank = dims.count
    func clamp(_ value: Int) -> Int {
      min(max(value < 0 ? value + rank : value, 0), rank)
    }
    let (lower, upper) = (clamp(start), clamp(end ?? rank))
    let picked = lower < upper ? Array(dims[lower..<upper]) : []
    return FloatTensor(
      unchecked: [picked.count], values: picked.map { Float($0) })
  }
}
