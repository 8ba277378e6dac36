/// One output of a node as shape inference computes it.
struct InferredOutput {
  var elementType: ElementType
  var shape: TensorShape
}

/// A node with the descriptors of its inputs: the place where each
/// operator's shape rule runs.
struct ShapeContext {
  let node: Node
  /// Descriptors aligned with `node.inputs`; `nil` for empty (omitted) names.
  let operands: [TensorDescriptor?]
  /// Where the constants the node reads (a Reshape's shape) are found.
  let constants: Constants

  /// The initializers a node's constant inputs are looked up in.
  enum Constants {
    /// The network's initializers.
    case network(Network)
    /// A few tensors, searched in order (the first of a name).
    case list([Tensor])

    func tensor(named name: String) -> Tensor? {
      switch self {
      case .network(let network): network.initializer(named: name)
      case .list(let tensors): tensors.first { $0.name == name }
      }
    }
  }

  var reference: NodeReference { node.reference }

  /// Dispatches to the operator's rule and checks the output count.
  func infer() throws(NetworkError) -> [InferredOutput] {
    let results: [InferredOutput]
    switch node.op {
    case .conv(let attributes): results = [try conv(attributes)]
    case .maxPool(let attributes), .averagePool(let attributes):
      results = [try pool(attributes)]
    case .globalAveragePool, .globalMaxPool: results = [try globalPool()]
    case .gemm(let attributes): results = [try gemm(attributes)]
    case .matMul: results = [try matMul()]
    case .add, .mul: results = [try broadcastBinary()]
    case .relu, .activation, .clip:
      try arity(inputs: 1...3)
      results = [try same(0)]
    case .identity:
      try arity(inputs: 1...1)
      results = [try same(0)]
    case .dropout:
      try arity(inputs: 1...3)
      let data = try same(0)
      results = [data, InferredOutput(elementType: .bool, shape: data.shape)]
    case .softmax(let axis): results = [try softmax(axis)]
    case .concat(let axis): results = [try concat(axis)]
    case .flatten(let axis): results = [try flatten(axis)]
    case .reshape(let allowZero): results = [try reshape(allowZero: allowZero)]
    case .transpose(let perm): results = [try transpose(perm)]
    case .squeeze(let axes): results = [try squeeze(axes)]
    case .unsqueeze(let axes): results = [try unsqueeze(axes)]
    case .batchNormalization: results = try batchNormalization()
    case .extended(let op): results = try extended(op)
    }
    guard !node.outputs.isEmpty, node.outputs.count <= results.count else {
      throw .arity(
        node: reference,
        message:
          "has \(node.outputs.count) outputs; \(node.op.opType) produces "
          + (results.count == 1 ? "1" : "1 to \(results.count)"))
    }
    return results
  }

  // MARK: Helpers

  func arity(inputs range: ClosedRange<Int>) throws(NetworkError) {
    guard range.contains(node.inputs.count) else {
      let expected =
        range.lowerBound == range.upperBound
        ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
      throw .arity(
        node: reference,
        message:
          "has \(node.inputs.count) inputs; \(node.op.opType) takes \(expected)"
      )
    }
  }

  /// The descriptor of a required input.
  func operand(_ index: Int, _ role: String) throws(NetworkError)
    -> TensorDescriptor
  {
    guard index < operands.count, let descriptor = operands[index] else {
      throw .arity(
        node: reference, message: "the \(role) input (\(index)) is missing")
    }
    return descriptor
  }

  /// The optional input at `index`, or `nil`.
  func optionalOperand(_ index: Int) -> TensorDescriptor? {
    index < operands.count ? operands[index] : nil
  }

  /// The constant with data feeding input `index`, or `nil`.
  func constant(_ index: Int) -> Tensor? {
    guard let name = node.input(index),
      let tensor = constants.tensor(named: name),
      tensor.hasData
    else { return nil }
    return tensor
  }

  /// Integer values of a constant input (a shape or axes), checked to be a
  /// 1-D (or scalar) integer tensor.
  func integerConstant(_ index: Int, _ role: String) throws(NetworkError)
    -> [Int]
  {
    guard let name = node.input(index) else {
      throw .arity(
        node: reference, message: "the \(role) input (\(index)) is missing")
    }
    guard let tensor = constant(index) else {
      throw .nonConstantOperand(node: reference, tensor: name, role: role)
    }
    guard tensor.shape.rank <= 1 else {
      throw .invalidAttribute(
        node: reference,
        message: "the \(role) '\(name)' must be 1-D, not \(tensor.shape)")
    }
    if let integers = tensor.integerValues { return integers.map { Int($0) } }
    var values: [Int] = []
    for value in tensor.floatValues ?? [] {
      guard let exact = Int(exactly: value) else {
        throw .invalidAttribute(
          node: reference,
          message: "the \(role) '\(name)' holds non-integer \(value)")
      }
      values.append(exact)
    }
    return values
  }

  /// Input 0's type with the input's shape.
  func same(_ index: Int) throws(NetworkError) -> InferredOutput {
    let input = try operand(index, "data")
    return InferredOutput(elementType: input.elementType, shape: input.shape)
  }

  func output(_ dims: [Int], like index: Int = 0) throws(NetworkError)
    -> InferredOutput
  {
    let type = optionalOperand(index)?.elementType ?? .float32
    return InferredOutput(
      elementType: type, shape: try TensorShape(dims, output: reference))
  }

  /// An axis in `[-rank, rank - 1]` (or `[-rank, rank]` when `inclusive`),
  /// made non-negative.
  func normalize(
    axis: Int, rank: Int, inclusive: Bool = false, _ name: String = "axis"
  ) throws(NetworkError) -> Int {
    let upper = inclusive ? rank : rank - 1
    guard axis >= -rank, axis <= upper else {
      throw .invalidAttribute(
        node: reference,
        message:
          "\(name) \(axis) is out of range [\(-rank), \(upper)] for rank \(rank)"
      )
    }
    return axis < 0 ? axis + rank : axis
  }

  func mismatch(_ message: String) -> NetworkError {
    .shapeMismatch(node: reference, message: message)
  }
}
