extension Network {
  /// The network with each foldable BatchNormalization merged into the Conv
  /// or Gemm that produces its input.
  ///
  /// With `s = scale / √(var + ε)` per output channel (BatchNormalization-15,
  /// inference mode), a Conv becomes `W' = W·s` (each output channel's
  /// filter scaled) and `b' = (b − mean)·s + B`, with `b = 0` when the Conv
  /// had no bias. A Gemm's output channel is its column `n`: `B'` scales
  /// column `n` (row `n` with `transB`) and `C' = s·(beta·C − mean) + B` with
  /// `beta` set to 1. Arithmetic is in `Double`, rounded once to `Float`.
  ///
  /// A BatchNormalization folds when its input comes from a Conv or Gemm
  /// whose only reader it is (and which is not a graph output), its four
  /// operands are initializers, the producer's weight (and bias, if any) are
  /// initializers, and the channel counts agree. Otherwise it stays as a node.
  ///
  /// When any of those tensors has no data (a shape-only model), the fold is
  /// structural: the BatchNormalization disappears and the producer gets a
  /// bias of absent data, so shapes and counts are those of the folded model.
  ///
  /// Initializers no longer read are removed.
  public func foldingBatchNormalization() -> Network {
    var network = self
    var names = Set(initializers.map(\.name))
    for node in nodes { names.formUnion(node.inputs + node.outputs) }
    var links = FoldingLinks(nodes)
    var removed = [Bool](repeating: false, count: nodes.count)
    for index in network.nodes.indices
    where network.foldBatchNormalization(
      at: index, names: &names, links: &links)
    {
      removed[index] = true
    }
    if removed.contains(true) {
      network.nodes = network.nodes.indices.compactMap {
        removed[$0] ? nil : network.nodes[$0]
      }
    }
    network.removeUnusedInitializers()
    return network
  }

  /// Folds the BatchNormalization at `index` into its producer, if it can;
  /// the caller removes the node when this returns `true` (and `links`
  /// already no longer count it).
  private mutating func foldBatchNormalization(
    at index: Int, names: inout Set<String>, links: inout FoldingLinks
  ) -> Bool {
    let bn = nodes[index]
    guard case .batchNormalization(let epsilon) = bn.op, bn.inputs.count == 5,
      let output = bn.outputs.first, !output.isEmpty,
      bn.outputs.dropFirst().allSatisfy({ $0.isEmpty }),
      let x = bn.input(0), !outputs.contains(x),
      let producerIndex = links.producer[x],
      nodes[producerIndex].outputs.count == 1,
      links.readers(x) == bn.inputs.count(where: { $0 == x })
    else { return false }
    var operands: [Tensor] = []
    for position in 1...4 {
      guard let name = bn.input(position),
        let tensor = initializer(named: name),
        tensor.shape.rank == 1
      else { return false }
      operands.append(tensor)
    }
    let channels = operands[0].shape[0]
    guard operands.allSatisfy({ $0.shape[0] == channels }) else { return false }
    let stats = BatchNormStatistics(
      scale: operands[0], shift: operands[1], mean: operands[2],
      variance: operands[3],
      epsilon: epsilon)
    guard let stats,
      let folded = foldedProducer(
        nodes[producerIndex], stats, &names,
        readOnce: { links.readers($0) == 1 })
    else { return false }
    for tensor in folded.tensors { setInitializer(tensor) }
    links.replaceInputs(of: nodes[producerIndex], with: folded.node)
    links.remove(bn)
    links.producer[x] = nil
    links.producer[output] = producerIndex
    nodes[producerIndex] = folded.node
    nodes[producerIndex].outputs = [output]
    return true
  }

  private func foldedProducer(
    _ producer: Node, _ stats: BatchNormStatistics, _ names: inout Set<String>,
    readOnce: (String) -> Bool
  ) -> (node: Node, tensors: [Tensor])? {
    func fresh(_ base: String, replacing existing: String?) -> String {
      if let existing, readOnce(existing) { return existing }
      var name = base
      var counter = 1
      while names.contains(name) {
        name = "\(base)_\(counter)"
        counter += 1
      }
      names.insert(name)
      return name
    }
    guard let weightName = producer.input(1),
      let weight = initializer(named: weightName)
    else { return nil }
    let biasName = producer.input(2)
    let bias = biasName.flatMap { initializer(named: $0) }
    if biasName != nil && bias == nil { return nil }
    var node = producer
    let newWeightName = fresh(
      "\(producer.name)_folded_weight", replacing: weightName)
    let newBiasName = fresh("\(producer.name)_folded_bias", replacing: biasName)

    switch producer.op {
    case .conv:
      guard weight.shape.rank >= 1, weight.shape[0] == stats.channels,
        bias.map({ $0.shape.dims == [stats.channels] }) ?? true
      else { return nil }
      guard let folded = stats.foldConv(weight: weight, bias: bias) else {
        return (
          withInputs(node, newWeightName, newBiasName),
          [
            Tensor(
              absentDataNamed: newWeightName, elementType: weight.elementType,
              shape: weight.shape),
            Tensor(
              absentDataNamed: newBiasName, elementType: weight.elementType,
              shape: stats.shape),
          ]
        )
      }
      return (
        withInputs(node, newWeightName, newBiasName),
        [
          folded.weight.renamed(newWeightName, weight.elementType),
          folded.bias.renamed(newBiasName, weight.elementType),
        ]
      )
    case .gemm(var attributes):
      guard weight.shape.rank == 2,
        (attributes.transB ? weight.shape[0] : weight.shape[1])
          == stats.channels
      else { return nil }
      if let bias {
        let dims =
          Array(repeating: 1, count: max(0, 2 - bias.shape.rank))
          + bias.shape.dims
        guard bias.shape.rank <= 2, dims[1] == stats.channels || dims[1] == 1
        else {
          return nil
        }
      }
      let beta = attributes.beta
      attributes.beta = 1
      node.op = .gemm(attributes)
      let result = stats.foldGemm(
        weight: weight, transB: attributes.transB, bias: bias, beta: beta)
      guard let result else {
        let rows = bias.flatMap {
          $0.shape.rank == 2 && $0.shape[0] > 1 ? $0.shape[0] : nil
        }
        let shape =
          (try? TensorShape(
            rows.map { [$0, stats.channels] } ?? [stats.channels]))
          ?? stats.shape
        return (
          withInputs(node, newWeightName, newBiasName),
          [
            Tensor(
              absentDataNamed: newWeightName, elementType: weight.elementType,
              shape: weight.shape),
            Tensor(
              absentDataNamed: newBiasName, elementType: weight.elementType,
              shape: shape),
          ]
        )
      }
      return (
        withInputs(node, newWeightName, newBiasName),
        [
          result.weight.renamed(newWeightName, weight.elementType),
          result.bias.renamed(newBiasName, weight.elementType),
        ]
      )
    default:
      return nil
    }
  }

  private func withInputs(_ node: Node, _ weight: String, _ bias: String)
    -> Node
  {
    var node = node
    node.inputs = [node.inputs[0], weight, bias]
    return node
  }
}

extension Tensor {
  fileprivate func renamed(_ name: String, _ type: ElementType) -> Tensor {
    var copy = self
    copy.name = name
    copy.elementType = type
    return copy
  }
}

/// Who produces and who reads each tensor while batch normalizations are
/// folded, kept up to date fold by fold, so that each fold's checks are
/// lookups rather than scans of every node (NASNet-large folds 400 of its
/// 1,300 nodes).
private struct FoldingLinks {
  /// The first node whose first output is the tensor.
  var producer: [String: Int] = [:]
  /// How many times the nodes not yet removed read each tensor.
  private var reads: [String: Int] = [:]

  init(_ nodes: [Node]) {
    for (index, node) in nodes.enumerated() {
      if let first = node.outputs.first, producer[first] == nil {
        producer[first] = index
      }
      for input in node.inputs { reads[input, default: 0] += 1 }
    }
  }

  /// How many times the remaining nodes read `tensor`.
  func readers(_ tensor: String) -> Int { reads[tensor] ?? 0 }

  /// Counts `new`'s inputs instead of `old`'s.
  mutating func replaceInputs(of old: Node, with new: Node) {
    for input in old.inputs { reads[input, default: 0] -= 1 }
    for input in new.inputs { reads[input, default: 0] += 1 }
  }

  /// Stops counting a removed node's inputs.
  mutating func remove(_ node: Node) {
    for input in node.inputs { reads[input, default: 0] -= 1 }
  }
}
