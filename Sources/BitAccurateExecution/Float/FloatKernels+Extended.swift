import NetworkGraph

extension FloatKernels {
  /// Evaluates one node to all its outputs (Split, TopK, LSTM and GRU have
  /// several; every other operator one).
  ///
  /// `types` gives the element type of each tensor (``ElementTypes``);
  /// integer tensors change what Div, Mod and Cast compute, and an integer
  /// output beyond ±2^24 (which Float32 would round) is an error naming
  /// the node. Without `types` every tensor counts as float32. `clamp` is
  /// a ReLU or Clip a convolution applies to its output (``FloatClamp``).
  static func evaluateAll(
    _ node: Node, _ operands: [FloatTensor?], network: Network,
    types: [String: ElementType] = [:], concurrency: Int = 1,
    clamp: FloatClamp = .unbounded
  ) throws(ExecutionError) -> [FloatTensor] {
    let outputs: [FloatTensor]
    if case .extended(let op) = node.op {
      let context = ExtendedOperands(
        node: node, operands: operands, network: network, types: types)
      outputs = try context.evaluate(op)
    } else {
      outputs = [
        try evaluate(
          node, operands, network: network, concurrency: concurrency,
          clamp: clamp)
      ]
    }
    func describe(_ value: Float) -> String {
      value.isFinite && value.magnitude < 9e18 ? "\(Int64(value))" : "\(value)"
    }
    for (name, output) in zip(node.outputs, outputs) {
      guard let type = types[name], !type.isFloatingPoint, type != .bool
      else { continue }
      if let index = output.values.firstIndex(where: {
        Double($0).magnitude > ElementTypes.exactIntegerLimit
      }) {
        throw .unsupported(
          node: node.reference,
          message:
            "\(type) output '\(name)' reaches \(describe(output.values[index])) at "
            + "index \(index); the float executor holds integers in Float32, "
            + "exact only up to 2^24 = 16777216")
      }
    }
    return outputs
  }
}

/// A node of ``NetworkGraph/ExtendedOperator`` with its operands, and the
/// accessors its kernels share.
struct ExtendedOperands {
  let node: Node
  let operands: [FloatTensor?]
  let network: Network
  let types: [String: ElementType]

  var reference: NodeReference { node.reference }

  /// Operand `index`, which must be present.
  func operand(_ index: Int) throws(ExecutionError) -> FloatTensor {
    guard index < operands.count, let value = operands[index] else {
      throw .missingTensor(name: "input \(index)", node: reference)
    }
    return value
  }

  /// Operand `index`, or `nil` when omitted.
  func optional(_ index: Int) -> FloatTensor? {
    index < operands.count ? operands[index] : nil
  }

  /// The element type of input `index` (float32 when unknown).
  func type(_ index: Int) -> ElementType {
    guard index < node.inputs.count else { return .float32 }
    return types[node.inputs[index]] ?? .float32
  }

  /// Operand `index` as integers: read from the model when it is an integer
  /// constant (exact at any size), else the operand's values, which must be
  /// whole numbers; `nil` when omitted.
  func integers(_ index: Int) throws(ExecutionError) -> [Int]? {
    guard index < node.inputs.count, !node.inputs[index].isEmpty else {
      return nil
    }
    if let constant = network.initializer(named: node.inputs[index]),
      let values = constant.integerValues
    {
      return values.map { Int(clamping: $0) }
    }
    guard let tensor = optional(index) else { return nil }
    var result: [Int] = []
    result.reserveCapacity(tensor.values.count)
    for value in tensor.values {
      guard let integer = Int(exactly: value) else {
        throw .unsupported(
          node: reference,
          message: "input \(index) holds \(value), which is not an integer")
      }
      result.append(integer)
    }
    return result
  }

  /// An axis in `-rank..<rank`, made non-negative.
  func axis(_ axis: Int, rank: Int) throws(ExecutionError) -> Int {
    let value = axis < 0 ? axis + rank : axis
    guard value >= 0, value < rank else {
      throw .unsupported(
        node: reference,
        message: "axis \(axis) is out of range for rank \(rank)")
    }
    return value
  }

  /// A failure naming the node.
  func failure(_ message: String) -> ExecutionError {
    .unsupported(node: reference, message: message)
  }

  /// Runs the operator's kernel.
  func evaluate(_ op: ExtendedOperator) throws(ExecutionError)
    -> [FloatTensor]
  {
    switch op {
    case .layerNormalization(let axis, let epsilon):
      return try layerNormalization(axis: axis, epsilon: epsilon)
    case .groupNormalization(let groups, let epsilon):
      return [try groupNormalization(groups: groups, epsilon: epsilon)]
    case .instanceNormalization(let epsilon):
      return [try instanceNormalization(epsilon: epsilon)]
    case .reduce(let kind, let keepDims, let noop):
      return [try reduce(kind, keepDims: keepDims, noopWithEmptyAxes: noop)]
    case .elementwise(let function): return [try elementwise(function)]
    case .cast(let to): return [try cast(to: to)]
    case .gather(let axis): return [try gather(axis: axis)]
    case .expand: return [try expand()]
    case .tile: return [try tile()]
    case .slice: return [try slice()]
    case .resize(let mode, let sampling):
      return [try resize(mode: mode, sampling: sampling)]
    case .split(let axis): return try split(axis: axis)
    case .pad(let mode): return [try pad(mode: mode)]
    case .convTranspose(let attributes):
      return [try convTranspose(attributes)]
    case .recurrent(let attributes): return try recurrent(attributes)
    case .einsum(let equation): return [try einsum(equation)]
    case .topK(let axis, let largest):
      return try topK(axis: axis, largest: largest)
    case .argExtreme(let max, let axis, let keepDims, let last):
      return [
        try argExtreme(max: max, axis: axis, keepDims: keepDims, last: last)
      ]
    case .depthSpace(let toSpace, let blockSize, let crd):
      return [try depthSpace(toSpace: toSpace, block: blockSize, crd: crd)]
    case .constantOfShape(_, let value):
      return [try constantOfShape(value: value)]
    case .range: return [try range()]
    case .shape(let start, let end): return [try shape(start: start, end: end)]
    case .cumSum(let exclusive, let reverse):
      return [try cumSum(exclusive: exclusive, reverse: reverse)]
    case .trilu(let upper): return [try trilu(upper: upper)]
    case .quantizeLinear, .dequantizeLinear, .qLinearConv, .qLinearMatMul,
      .convInteger, .matMulInteger, .detectionPostProcess:
      throw failure("`edgesim run` cannot execute \(op.opType) yet")
    }
  }
}

/// Row-major strides of a shape.
func rowMajorStrides(_ shape: [Int]) -> [Int] {
  var strides = [Int](repeating: 1, count: shape.count)
  var running = 1
  for axis in stride(from: shape.count - 1, through: 0, by: -1) {
    strides[axis] = running
    running *= shape[axis]
  }
  return strides
}
