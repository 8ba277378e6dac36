/// The result of shape inference: a descriptor for every tensor in the
/// network, and the order in which the nodes were visited.
public struct InferredShapes: Sendable {
  /// Every tensor's type and shape: graph inputs, initializers and node
  /// outputs, by name.
  public private(set) var tensors: [String: TensorDescriptor]
  /// The node indices in the topological order used.
  public let order: [Int]

  /// The descriptor of the tensor named `name`, or `nil`.
  public subscript(name: String) -> TensorDescriptor? { tensors[name] }

  /// The shape of the tensor named `name`, or `nil`.
  public func shape(of name: String) -> TensorShape? { tensors[name]?.shape }
}

extension Network {
  /// Infers the element type and shape of every tensor.
  ///
  /// Nodes are visited in ``topologicalOrder()``. Graph inputs must have
  /// concrete shapes (bind symbolic ones with ``bindingBatch(_:)``). Each
  /// operator's rule follows its ONNX specification; see ``Operator``.
  ///
  /// - Returns: The descriptors of all tensors.
  /// - Throws: The first ``NetworkError`` found: a cycle, an unbound input
  ///   dimension, a missing tensor, a bad attribute or mismatched shapes
  ///   (naming the node, its operator and the shapes).
  /// - Complexity: O(n + e) after ordering, for n nodes and e edges.
  public func inferShapes() throws(NetworkError) -> InferredShapes {
    let order = try topologicalOrder()
    var tensors = try Self.startingTensors(
      inputs: inputs, initializers: initializers, nodeCount: nodes.count)
    for index in order {
      try Self.infer(nodes[index], into: &tensors, constants: .network(self))
    }
    for output in outputs where tensors[output] == nil {
      throw .missingTensor(name: output, node: nil)
    }
    return InferredShapes(tensors: tensors, order: order)
  }

  /// The tensors known before any node: the graph inputs, then the
  /// initializers that no input shadows.
  static func startingTensors(
    inputs: [GraphInput], initializers: [Tensor], nodeCount: Int
  ) throws(NetworkError) -> [String: TensorDescriptor] {
    var tensors: [String: TensorDescriptor] = [:]
    tensors.reserveCapacity(inputs.count + initializers.count + nodeCount)
    for input in inputs {
      tensors[input.name] = TensorDescriptor(
        name: input.name, elementType: input.elementType,
        shape: try input.shape())
    }
    for tensor in initializers where tensors[tensor.name] == nil {
      tensors[tensor.name] = tensor.descriptor
    }
    return tensors
  }

  /// Infers `node`'s outputs from the tensors known so far and adds them.
  static func infer(
    _ node: Node, into tensors: inout [String: TensorDescriptor],
    constants: ShapeContext.Constants
  ) throws(NetworkError) {
    var operands: [TensorDescriptor?] = []
    operands.reserveCapacity(node.inputs.count)
    for name in node.inputs {
      if name.isEmpty {
        operands.append(nil)
        continue
      }
      guard let descriptor = tensors[name] else {
        throw .missingTensor(name: name, node: node.reference)
      }
      operands.append(descriptor)
    }
    let context = ShapeContext(
      node: node, operands: operands, constants: constants)
    let results = try context.infer()
    for (name, result) in zip(node.outputs, results) where !name.isEmpty {
      tensors[name] = TensorDescriptor(
        name: name, elementType: result.elementType, shape: result.shape)
    }
  }
}
