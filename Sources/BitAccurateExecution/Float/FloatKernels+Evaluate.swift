import NetworkGraph

extension FloatKernels {
  /// Evaluates one node on Float32 operands (aligned with `node.inputs`,
  /// `nil` for omitted ones); a convolution clamps its output by `clamp`
  /// (``FloatClamp``).
  static func evaluate(
    _ node: Node, _ operands: [FloatTensor?], network: Network,
    concurrency: Int = 1, clamp: FloatClamp = .unbounded
  ) throws(ExecutionError) -> FloatTensor {
    let reference = node.reference
    func operand(_ index: Int) throws(ExecutionError) -> FloatTensor {
      guard index < operands.count, let value = operands[index] else {
        throw .missingTensor(name: "input \(index)", node: reference)
      }
      return value
    }
    func optional(_ index: Int) -> FloatTensor? {
      index < operands.count ? operands[index] : nil
    }
    switch node.op {
    case .conv(let attributes):
      let w = try operand(1)
      return try conv(
        try operand(0), weight: w.values, weightShape: w.shape,
        bias: optional(2)?.values,
        attributes: attributes, node: reference, concurrency: concurrency,
        clamp: clamp)
    case .gemm(let attributes):
      return try gemm(
        try operand(0), try operand(1), optional(2), attributes, node: reference
      )
    case .matMul:
      return try matMul(try operand(0), try operand(1), node: reference)
    case .add, .mul:
      var multiply = false
      if case .mul = node.op { multiply = true }
      return try binary(
        try operand(0), try operand(1), multiply: multiply, node: reference)
    case .maxPool(let attributes):
      return try pool(
        try operand(0), attributes, average: false, node: reference)
    case .averagePool(let attributes):
      return try pool(
        try operand(0), attributes, average: true, node: reference)
    case .globalAveragePool:
      return try pool(try operand(0), nil, average: true, node: reference)
    case .globalMaxPool:
      return try pool(try operand(0), nil, average: false, node: reference)
    case .concat(let axis):
      var inputs: [FloatTensor] = []
      for index in node.inputs.indices { inputs.append(try operand(index)) }
      return try concat(inputs, axis: axis, node: reference)
    case .flatten, .reshape, .identity, .dropout, .transpose, .squeeze,
      .unsqueeze:
      let x = try operand(0)
      let plan = try LayoutPlan.make(node, input: x.shape, network: network)
      let (shape, values) = plan.apply(x.values)
      return FloatTensor(unchecked: shape, values: values)
    case .softmax(let axis):
      let x = try operand(0)
      return FloatTensor(
        unchecked: x.shape,
        values: softmax(x.values.map { Double($0) }, shape: x.shape, axis: axis)
      )
    case .extended:
      let outputs = try evaluateAll(
        node, operands, network: network, concurrency: concurrency)
      guard let first = outputs.first else {
        throw .unsupported(node: reference, message: "the node has no output")
      }
      return first
    case .batchNormalization(let epsilon):
      let x = try operand(0)
      return FloatTensor(
        unchecked: x.shape,
        values: batchNorm(
          x.values.map { Double($0) }, shape: x.shape,
          scale: try operand(1).values,
          bias: try operand(2).values, mean: try operand(3).values,
          variance: try operand(4).values, epsilon: epsilon))
    case .relu:
      let x = try operand(0)
      return FloatTensor(
        unchecked: x.shape, values: x.values.map { max($0, 0) })
    case .clip(let lo, let hi):
      let x = try operand(0)
      let lower = optional(1)?.values.first ?? lo ?? -.infinity
      let upper = optional(2)?.values.first ?? hi ?? .infinity
      return FloatTensor(
        unchecked: x.shape, values: x.values.map { min(max($0, lower), upper) })
    case .activation:
      let x = try operand(0)
      return FloatTensor(
        unchecked: x.shape,
        values: x.values.map {
          Float(
            activation(node.op, Double($0), lower: -.infinity, upper: .infinity)
          )
        })
    }
  }
}
