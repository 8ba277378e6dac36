import NetworkGraph

extension ExtendedOperands {
  /// CumSum-14 along the axis in input 1, in Float32 in scan order (as
  /// onnxruntime); `exclusive` leaves out the element itself, `reverse`
  /// scans from the end.
  func cumSum(exclusive: Bool, reverse: Bool) throws(ExecutionError)
    -> FloatTensor
  {
    let x = try operand(0)
    guard let raw = try integers(1)?.first else {
      throw failure("CumSum needs an axis (input 1)")
    }
    let a = try axis(raw, rank: x.shape.count)
    let (outer, length, inner) = Self.around(x.shape, axis: a)
    var out = [Float](repeating: 0, count: x.values.count)
    for o in 0..<outer {
      for i in 0..<inner {
        let base = o * length * inner + i
        var running: Float = 0
        for step in 0..<length {
          let l = reverse ? length - 1 - step : step
          let index = base + l * inner
          if exclusive {
            out[index] = running
            running += x.values[index]
          } else {
            running += x.values[index]
            out[index] = running
          }
        }
      }
    }
    return FloatTensor(unchecked: x.shape, values: out)
  }
}
