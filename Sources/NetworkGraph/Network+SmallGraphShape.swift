extension Network {
  /// The shape of one tensor of a small graph given by its parts.
  ///
  /// It is what building the network of these inputs, initializers and nodes
  /// (with `output` as its graph output) and calling ``inferShapes()`` gives,
  /// result and error alike, for a reader that checks a graph a few nodes at
  /// a time (the layer-list reader checks each layer on its own). When the
  /// nodes are listed in order (each reads only inputs, initializers and
  /// earlier nodes' outputs) and the initializers' names are distinct, the
  /// nodes are inferred in turn without building the network; otherwise the
  /// network is built, so a cycle or a duplicate name is the same error.
  ///
  /// - Parameters:
  ///   - output: The tensor whose shape is wanted.
  ///   - nodes: The nodes, a few (more than 16 build the network).
  ///   - inputs: The graph inputs, with concrete shapes.
  ///   - initializers: The constants.
  /// - Returns: The shape of `output`.
  /// - Throws: The error of ``init(name:inputs:outputs:nodes:initializers:)``
  ///   or ``inferShapes()``.
  public static func inferShape(
    of output: String, nodes: [Node], inputs: [GraphInput],
    initializers: [Tensor]
  ) throws(NetworkError) -> TensorShape? {
    guard nodes.count <= 16, isInOrder(nodes),
      distinctNames(initializers)
    else {
      let network = try Network(
        name: "layer", inputs: inputs, outputs: [output], nodes: nodes,
        initializers: initializers)
      return try network.inferShapes().shape(of: output)
    }
    // As `inferShapes()`: graph inputs, then initializers not shadowed by
    // one, then each node's outputs.
    var tensors = try startingTensors(
      inputs: inputs, initializers: initializers, nodeCount: nodes.count)
    for node in nodes {
      try infer(node, into: &tensors, constants: .list(initializers))
    }
    guard let descriptor = tensors[output] else {
      throw .missingTensor(name: output, node: nil)
    }
    return descriptor.shape
  }

  /// Whether every input a node of the list produces comes from an earlier
  /// node (the first producer of a name counts, as in
  /// ``topologicalOrder()``).
  private static func isInOrder(_ nodes: [Node]) -> Bool {
    for (index, node) in nodes.enumerated() {
      for input in node.inputs where !input.isEmpty {
        if let from = nodes.firstIndex(where: { $0.outputs.contains(input) }),
          from >= index
        {
          return false
        }
      }
    }
    return true
  }

  private static func distinctNames(_ tensors: [Tensor]) -> Bool {
    for (index, tensor) in tensors.enumerated()
    where tensors[..<index].contains(where: { $0.name == tensor.name }) {
      return false
    }
    return true
  }
}
