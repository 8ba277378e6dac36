extension ShapeContext {
  /// Conv-11: `X [N, C, D…]`, `W [M, C/group, k…]`, optional `B [M]` give
  /// `Y [N, M, out…]` with sizes from ``WindowGeometry``.
  func conv(_ attributes: ConvAttributes) throws(NetworkError) -> InferredOutput
  {
    try arity(inputs: 2...3)
    return try output(
      try convDims(
        x: try operand(0, "X").shape, w: try operand(1, "W").shape,
        bias: optionalOperand(2)?.shape, attributes))
  }

  /// Conv-11's output dimensions for input `x`, weight `w` and bias.
  func convDims(
    x: TensorShape, w: TensorShape, bias: TensorShape?,
    _ attributes: ConvAttributes
  ) throws(NetworkError) -> [Int] {
    guard x.rank >= 3 else {
      throw mismatch("input X \(x) must have rank ≥ 3 ([N, C, spatial…])")
    }
    guard w.rank == x.rank else {
      throw mismatch("weight \(w) must have the rank of input \(x)")
    }
    let group = attributes.group
    guard group >= 1 else {
      throw .invalidAttribute(
        node: reference, message: "group \(group) must be at least 1")
    }
    let channels = x[1]
    let filters = w[0]
    guard channels % group == 0 else {
      throw mismatch(
        "input channels \(channels) of \(x) are not divisible by group \(group)"
      )
    }
    guard filters % group == 0 else {
      throw mismatch(
        "output channels \(filters) of weight \(w) are not divisible by group \(group)"
      )
    }
    guard w[1].multipliedReportingOverflow(by: group) == (channels, false)
    else {
      throw mismatch(
        "weight \(w) expects \(w[1]) × group \(group) input channels, "
          + "but input \(x) has \(channels)")
    }
    let kernel = Array(w.dims.dropFirst(2))
    if let declared = attributes.kernelShape, declared != kernel {
      throw mismatch(
        "kernel_shape \(NetworkError.list(declared)) does not match weight \(w)"
      )
    }
    if let bias, bias.dims != [filters] {
      throw mismatch("bias \(bias) must be [\(filters)] for weight \(w)")
    }
    let geometry = try WindowGeometry.resolve(
      inputSize: Array(x.dims.dropFirst(2)), kernel: kernel,
      strides: attributes.strides, dilations: attributes.dilations,
      pads: attributes.pads, autoPad: attributes.autoPad, ceilMode: false,
      node: reference)
    return [x[0], filters] + geometry.outputSize
  }

  /// MaxPool-22 / AveragePool-22: `X [N, C, D…]` gives `Y [N, C, out…]`.
  func pool(_ attributes: PoolAttributes) throws(NetworkError) -> InferredOutput
  {
    try arity(inputs: 1...1)
    let x = try operand(0, "X").shape
    guard x.rank >= 3 else {
      throw mismatch("input X \(x) must have rank ≥ 3 ([N, C, spatial…])")
    }
    let geometry = try WindowGeometry.resolve(
      inputSize: Array(x.dims.dropFirst(2)), kernel: attributes.kernelShape,
      strides: attributes.strides, dilations: attributes.dilations,
      pads: attributes.pads, autoPad: attributes.autoPad,
      ceilMode: attributes.ceilMode, node: reference)
    return try output([x[0], x[1]] + geometry.outputSize)
  }

  /// GlobalAveragePool-1 / GlobalMaxPool-1: `[N, C, D…]` gives `[N, C, 1…]`.
  func globalPool() throws(NetworkError) -> InferredOutput {
    try arity(inputs: 1...1)
    let x = try operand(0, "X").shape
    guard x.rank >= 3 else {
      throw mismatch("input X \(x) must have rank ≥ 3 ([N, C, spatial…])")
    }
    return try output([x[0], x[1]] + Array(repeating: 1, count: x.rank - 2))
  }

  /// BatchNormalization-15 (inference): `X [N, C, …]` with four `[C]`
  /// operands gives `Y` shaped like `X`.
  func batchNormalization() throws(NetworkError) -> [InferredOutput] {
    try arity(inputs: 5...5)
    let x = try operand(0, "X")
    guard x.shape.rank >= 2 else {
      throw mismatch("input X \(x.shape) must have rank ≥ 2 ([N, C, …])")
    }
    let channels = x.shape[1]
    for (index, role) in [(1, "scale"), (2, "B"), (3, "mean"), (4, "var")] {
      let shape = try operand(index, role).shape
      guard shape.dims == [channels] else {
        throw mismatch(
          "\(role) \(shape) must be [\(channels)] for input \(x.shape)")
      }
    }
    let stats = InferredOutput(
      elementType: x.elementType,
      shape: try TensorShape([channels], output: reference))
    return [
      InferredOutput(elementType: x.elementType, shape: x.shape), stats, stats,
    ]
  }
}
