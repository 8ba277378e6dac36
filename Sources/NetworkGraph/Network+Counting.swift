extension Network {
  /// Counts MACs, other operations, parameters, weight bytes and activations
  /// for every node, after inferring shapes.
  ///
  /// Run ``removingIdentities()`` and ``foldingBatchNormalization()`` first
  /// to count the model as deployed.
  ///
  /// - Returns: Per-node counts in topological order, and totals.
  /// - Throws: Any shape-inference error, or
  ///   ``NetworkError/overflow(what:node:)`` when a count does not fit in
  ///   64 bits.
  public func counts() throws(NetworkError) -> NetworkCounts {
    try counts(shapes: try inferShapes())
  }

  /// Counts every node using shapes already inferred for this network.
  ///
  /// - Parameter shapes: The result of ``inferShapes()`` on this network.
  /// - Returns: Per-node counts in topological order, and totals.
  /// - Throws: ``NetworkError/missingTensor(name:node:)`` when `shapes` lacks
  ///   a tensor, or ``NetworkError/overflow(what:node:)``.
  public func counts(shapes: InferredShapes) throws(NetworkError)
    -> NetworkCounts
  {
    var entries: [NetworkCounts.Entry] = []
    var total = NodeCounts.zero
    var counted: Set<String> = []
    var sharedParameters = 0
    var sharedBytes = 0
    let graphInputs = Set(inputs.map(\.name))
    // Weights computed from constants (a DequantizeLinear of int8 weights)
    // are not activations of their readers.
    let derived = constantDerivedTensors()
    for index in shapes.order {
      let node = nodes[index]
      var inputShapes: [TensorShape] = []
      for name in node.inputs where !name.isEmpty {
        guard let shape = shapes.shape(of: name) else {
          throw .missingTensor(name: name, node: node.reference)
        }
        inputShapes.append(shape)
      }
      var outputShapes: [TensorShape] = []
      for name in node.outputs where !name.isEmpty {
        guard let shape = shapes.shape(of: name) else {
          throw .missingTensor(name: name, node: node.reference)
        }
        outputShapes.append(shape)
      }
      var counts = try NodeCounter(node: node, shapes: shapes, network: self)
        .count()
      for (position, name) in node.inputs.enumerated() where !name.isEmpty {
        guard !node.op.metadataInputs.contains(position) else { continue }
        guard !graphInputs.contains(name), let tensor = initializer(named: name)
        else {
          if derived.contains(name) { continue }
          counts.inputActivationElements +=
            shapes.shape(of: name)?.elementCount ?? 0
          continue
        }
        let bytes = tensor.shape.elementCount * tensor.elementType.byteSize
        let learned =
          Self.isLearned(node.op, position)
          && !shapeComputedConstants.contains(name)
        counts.weightBytes += bytes
        if learned { counts.parameters += tensor.shape.elementCount }
        if counted.insert(name).inserted {
          sharedBytes += bytes
          if learned { sharedParameters += tensor.shape.elementCount }
        }
      }
      counts.outputActivationElements = outputShapes.reduce(0) {
        $0 + $1.elementCount
      }
      total = try total.adding(counts)
      entries.append(
        NetworkCounts.Entry(
          nodeIndex: index, node: node.reference, inputShapes: inputShapes,
          outputShapes: outputShapes, counts: counts))
    }
    total.parameters = sharedParameters
    total.weightBytes = sharedBytes
    return NetworkCounts(entries: entries, total: total)
  }

  /// Whether a constant at `position` is a learned parameter; a
  /// BatchNormalization's running mean and variance are statistics (PyTorch
  /// buffers), read but not counted as parameters.
  static func isLearned(_ op: Operator, _ position: Int) -> Bool {
    if case .batchNormalization = op { return position == 1 || position == 2 }
    if case .extended(let op) = op {
      return !op.unlearnedInputs.contains(position)
    }
    return true
  }
}

/// The per-operator arithmetic rules of `Documentation/Counting.md`.
struct NodeCounter {
  let node: Node
  let shapes: InferredShapes
  let network: Network

  func shape(_ index: Int) -> TensorShape? {
    node.input(index).flatMap { shapes.shape(of: $0) }
  }

  var output: TensorShape? {
    node.outputs.first.flatMap { shapes.shape(of: $0) }
  }

  func multiply(_ a: Int, _ b: Int, _ what: String) throws(NetworkError)
    -> Int
  {
    try Checked.multiply(a, b, what, node: node.reference)
  }

  /// MACs and other operations; parameters and activations are added by the
  /// caller.
  func count() throws(NetworkError) -> NodeCounts {
    let outputElements = output?.elementCount ?? 0
    var result = NodeCounts.zero
    switch node.op {
    case .conv:
      // MACs = N·Cout·∏out · (Cin/group)·∏kernel = |Y| · |W| / Cout.
      guard let weight = shape(1), weight.rank >= 1, weight[0] > 0 else {
        return result
      }
      result.macs = try multiply(
        outputElements, weight.elementCount / weight[0], "the Conv MAC count")
      if node.input(2) != nil { result.otherOps = outputElements }
    case .gemm(let attributes):
      guard let a = shape(0), a.rank == 2 else { return result }
      let k = attributes.transA ? a[0] : a[1]
      result.macs = try multiply(outputElements, k, "the Gemm MAC count")
      var passes = 0
      if node.input(2) != nil { passes += attributes.beta == 1 ? 1 : 2 }
      if attributes.alpha != 1 { passes += 1 }
      result.otherOps = try multiply(
        outputElements, passes, "the Gemm operation count")
    case .matMul:
      guard let a = shape(0), a.rank >= 1 else { return result }
      result.macs = try multiply(
        outputElements, a[a.rank - 1], "the MatMul MAC count")
    case .relu, .activation, .clip, .add, .mul:
      result.otherOps = outputElements
    case .maxPool(let attributes), .averagePool(let attributes):
      let window = try Checked.product(
        attributes.kernelShape, "the pooling window", node: node.reference)
      let perOutput: Int
      if case .maxPool = node.op {
        perOutput = max(0, window - 1)
      } else {
        perOutput = window
      }
      result.otherOps = try multiply(
        outputElements, perOutput, "the pooling operation count")
    case .globalAveragePool:
      result.otherOps = shape(0)?.elementCount ?? 0
    case .globalMaxPool:
      result.otherOps = max(0, (shape(0)?.elementCount ?? 0) - outputElements)
    case .softmax:
      result.otherOps = try multiply(
        outputElements, 3, "the Softmax operation count")
    case .batchNormalization:
      result.otherOps = try multiply(
        outputElements, 2, "the BatchNormalization count")
    case .concat, .flatten, .reshape, .transpose, .squeeze, .unsqueeze,
      .dropout,
      .identity:
      break
    case .extended(let op):
      result = try extended(op)
    }
    return result
  }
}
