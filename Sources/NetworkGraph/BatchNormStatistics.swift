/// A BatchNormalization's per-channel affine map `y = s·x + t`, with
/// `s = scale / √(var + ε)` and `t = B − mean·s`, and the arithmetic that
/// folds it into a preceding Conv or Gemm.
struct BatchNormStatistics {
  let channels: Int
  let shape: TensorShape
  /// `s` per channel, or `nil` when some operand has no data.
  let multiplier: [Double]?
  let scale: [Double]?
  let shift: [Double]?
  let mean: [Double]?

  /// Returns `nil` when `var + ε` is not positive for some channel (the fold
  /// would produce infinities; the node is kept).
  init?(
    scale: Tensor, shift: Tensor, mean: Tensor, variance: Tensor, epsilon: Float
  ) {
    channels = scale.shape.elementCount
    shape = scale.shape
    guard let s = scale.floatValues, let b = shift.floatValues,
      let m = mean.floatValues,
      let v = variance.floatValues
    else {
      multiplier = nil
      self.scale = nil
      self.shift = nil
      self.mean = nil
      return
    }
    var multiplier: [Double] = []
    for c in 0..<channels {
      let denominator = Double(v[c]) + Double(epsilon)
      guard denominator > 0 else { return nil }
      multiplier.append(Double(s[c]) / denominator.squareRoot())
    }
    self.multiplier = multiplier
    self.scale = s.map(Double.init)
    self.shift = b.map(Double.init)
    self.mean = m.map(Double.init)
  }

  /// `W' = W·s` per output channel (axis 0), `b' = (b − mean)·s + B`.
  func foldConv(weight: Tensor, bias: Tensor?) -> (
    weight: Tensor, bias: Tensor
  )? {
    guard let multiplier, let shift, let mean, let w = weight.floatValues else {
      return nil
    }
    let b: [Float]
    if let bias {
      guard let values = bias.floatValues else { return nil }
      b = values
    } else {
      b = Array(repeating: 0, count: channels)
    }
    let block = channels == 0 ? 0 : w.count / channels
    var newWeight = w
    for c in 0..<channels {
      for i in 0..<block {
        newWeight[c * block + i] = Float(
          Double(w[c * block + i]) * multiplier[c])
      }
    }
    let newBias = (0..<channels).map { c in
      Float((Double(b[c]) - mean[c]) * multiplier[c] + shift[c])
    }
    guard
      let weightTensor = try? Tensor(
        name: weight.name, shape: weight.shape, values: newWeight),
      let biasTensor = try? Tensor(name: "", shape: shape, values: newBias)
    else { return nil }
    return (weightTensor, biasTensor)
  }

  /// Scales output column `n` of `B` (row `n` when `transB`) by `s[n]`, and
  /// makes `C' = s·(beta·C − mean) + B`, shaped `[N]` or `[M, N]`.
  func foldGemm(weight: Tensor, transB: Bool, bias: Tensor?, beta: Float)
    -> (weight: Tensor, bias: Tensor)?
  {
    guard let multiplier, let shift, let mean, let w = weight.floatValues else {
      return nil
    }
    let rows = weight.shape[0]
    let columns = weight.shape[1]
    var newWeight = w
    for r in 0..<rows {
      for c in 0..<columns {
        let n = transB ? r : c
        newWeight[r * columns + c] = Float(
          Double(w[r * columns + c]) * multiplier[n])
      }
    }
    var biasRows = 1
    var biasValue: (Int, Int) -> Double = { _, _ in 0 }
    if let bias {
      guard let values = bias.floatValues else { return nil }
      let dims =
        Array(repeating: 1, count: max(0, 2 - bias.shape.rank))
        + bias.shape.dims
      biasRows = dims[0]
      let width = dims[1]
      biasValue = { m, n in Double(values[m * width + (width == 1 ? 0 : n)]) }
    }
    var newBias: [Float] = []
    newBias.reserveCapacity(biasRows * channels)
    for m in 0..<biasRows {
      for n in 0..<channels {
        let c = Double(beta) * biasValue(m, n)
        newBias.append(Float((c - mean[n]) * multiplier[n] + shift[n]))
      }
    }
    let dims = biasRows == 1 ? [channels] : [biasRows, channels]
    guard
      let weightTensor = try? Tensor(
        name: weight.name, shape: weight.shape, values: newWeight),
      let biasShape = try? TensorShape(dims),
      let biasTensor = try? Tensor(name: "", shape: biasShape, values: newBias)
    else { return nil }
    return (weightTensor, biasTensor)
  }
}
