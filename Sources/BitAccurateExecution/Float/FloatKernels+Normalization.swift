import NetworkGraph

extension ExtendedOperands {
  /// Mean and 1/sqrt(variance + ε) of `count` values from `base` with
  /// `stride` between consecutive ones, in Double (population variance).
  static func moments(
    _ x: [Float], indices: some Sequence<Int>, count: Int, epsilon: Float
  ) -> (mean: Double, inverse: Double) {
    var sum: Double = 0
    for i in indices { sum += Double(x[i]) }
    let mean = sum / Double(max(count, 1))
    var squares: Double = 0
    for i in indices {
      let d = Double(x[i]) - mean
      squares += d * d
    }
    let variance = squares / Double(max(count, 1))
    return (mean, 1 / (variance + Double(epsilon)).squareRoot())
  }

  /// LayerNormalization-17 over the axes from `axis` on.
  ///
  /// Outputs Y, and the optional Mean and InvStdDev (shaped like X with
  /// those axes 1).
  /// `Scale` and `B` broadcast to the normalised shape.
  func layerNormalization(axis: Int, epsilon: Float) throws(ExecutionError)
    -> [FloatTensor]
  {
    let x = try operand(0)
    let scale = try operand(1)
    let bias = optional(2)
    let a = try self.axis(axis, rank: x.shape.count)
    let inner = Array(x.shape[a...])
    let block = FloatTensor.count(inner)
    let outer = FloatTensor.count(Array(x.shape[..<a]))
    func plan(_ t: FloatTensor, _ role: String) throws(ExecutionError)
      -> Broadcast
    {
      guard let plan = Broadcast(inner, t.shape), plan.shape == inner else {
        throw .shapeMismatch(
          tensor: node.name,
          message: "\(role) \(t.shape) does not broadcast to \(inner)")
      }
      return plan
    }
    let scalePlan = try plan(scale, "Scale")
    let biasPlan = try bias.map { b throws(ExecutionError) in try plan(b, "B") }
    var out = [Float](repeating: 0, count: x.values.count)
    var means = [Float](repeating: 0, count: outer)
    var inverses = [Float](repeating: 0, count: outer)
    for o in 0..<outer {
      let base = o * block
      let (mean, inverse) = Self.moments(
        x.values, indices: base..<(base + block), count: block,
        epsilon: epsilon)
      means[o] = Float(mean)
      inverses[o] = Float(inverse)
      for j in 0..<block {
        var y = (Double(x.values[base + j]) - mean) * inverse
        y *= Double(scale.values[scalePlan.bIndex[j]])
        if let bias, let biasPlan {
          y += Double(bias.values[biasPlan.bIndex[j]])
        }
        out[base + j] = Float(y)
      }
    }
    let statisticsShape =
      Array(x.shape[..<a]) + [Int](repeating: 1, count: x.shape.count - a)
    return [
      FloatTensor(unchecked: x.shape, values: out),
      FloatTensor(unchecked: statisticsShape, values: means),
      FloatTensor(unchecked: statisticsShape, values: inverses),
    ]
  }

  /// GroupNormalization-18/21: X `[N, C, …]` normalised over each group of
  /// C/groups channels; `scale` and `bias` per channel (C values, opset 21)
  /// or per group (`groups` values, opset 18).
  func groupNormalization(groups: Int, epsilon: Float) throws(ExecutionError)
    -> FloatTensor
  {
    let x = try operand(0)
    let scale = try operand(1).values
    let bias = try operand(2).values
    guard x.shape.count >= 2, groups >= 1, x.shape[1] % groups == 0 else {
      throw .shapeMismatch(
        tensor: node.name,
        message: "X \(x.shape) does not split into \(groups) channel groups")
    }
    let channels = x.shape[1]
    guard scale.count == bias.count,
      scale.count == channels || scale.count == groups
    else {
      throw .shapeMismatch(
        tensor: node.name,
        message: "scale and bias hold \(scale.count) and \(bias.count) "
          + "values; \(channels) channels or \(groups) groups expected")
    }
    let plane = FloatTensor.count(Array(x.shape[2...]))
    let perGroup = channels / groups
    let block = perGroup * plane
    var out = [Float](repeating: 0, count: x.values.count)
    for g in 0..<(x.shape[0] * groups) {
      let base = g * block
      let (mean, inverse) = Self.moments(
        x.values, indices: base..<(base + block), count: block,
        epsilon: epsilon)
      for j in 0..<block {
        let channel = (g % groups) * perGroup + j / plane
        let p = scale.count == channels ? channel : g % groups
        let y = (Double(x.values[base + j]) - mean) * inverse
        out[base + j] = Float(y * Double(scale[p]) + Double(bias[p]))
      }
    }
    return FloatTensor(unchecked: x.shape, values: out)
  }

  /// InstanceNormalization-6: each `[n, c]` plane normalised, then
  /// `scale[c]`, `B[c]`.
  func instanceNormalization(epsilon: Float) throws(ExecutionError)
    -> FloatTensor
  {
    let x = try operand(0)
    let scale = try operand(1).values
    let bias = try operand(2).values
    guard x.shape.count >= 3, scale.count == x.shape[1],
      bias.count == x.shape[1]
    else {
      throw .shapeMismatch(
        tensor: node.name,
        message: "input \(x.shape) with \(scale.count) scales and "
          + "\(bias.count) biases")
    }
    let plane = FloatTensor.count(Array(x.shape[2...]))
    var out = [Float](repeating: 0, count: x.values.count)
    for p in 0..<(x.shape[0] * x.shape[1]) {
      let base = p * plane
      let c = p % x.shape[1]
      let (mean, inverse) = Self.moments(
        x.values, indices: base..<(base + plane), count: plane,
        epsilon: epsilon)
      for j in 0..<plane {
        let y = (Double(x.values[base + j]) - mean) * inverse
        out[base + j] = Float(y * Double(scale[c]) + Double(bias[c]))
      }
    }
    return FloatTensor(unchecked: x.shape, values: out)
  }
}
