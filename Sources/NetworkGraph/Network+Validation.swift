import Diagnostics

extension Network {
  /// Checks the graph's structure and shapes and reports every problem found.
  ///
  /// Structural checks come first and all of them are reported: duplicate
  /// node names, tensors with several producers (nodes, graph inputs,
  /// initializers), tensors read but never produced, graph outputs never
  /// produced, and cycles. When the structure is sound, shape inference runs
  /// and its first error, if any, is added.
  ///
  /// Each diagnostic is located in `file` with the node as the entity, for
  /// example `SourceLocation(file: "m.onnx", entity: "node 'conv1' (Conv)")`.
  ///
  /// - Parameter file: The model file as the user wrote it.
  /// - Returns: The diagnostics, in node order; empty when the network is
  ///   sound.
  public func validate(file: String) -> [Diagnostic] {
    var errors: [NetworkError] = []
    var names: Set<String> = []
    var reported: Set<String> = []
    for node in nodes where !names.insert(node.name).inserted {
      if reported.insert(node.name).inserted {
        errors.append(.duplicateNodeName(node.name))
      }
    }

    var producers: [String: [String]] = [:]
    var order: [String] = []
    func produce(_ tensor: String, by producer: String) {
      if producers[tensor] == nil { order.append(tensor) }
      producers[tensor, default: []].append(producer)
    }
    for input in inputs { produce(input.name, by: "graph input") }
    for tensor in initializers
    where !inputs.contains(where: { $0.name == tensor.name }) {
      // ONNX (IR ≥ 4) lets an initializer double as a graph input's default.
      produce(tensor.name, by: "initializer")
    }
    for node in nodes {
      for output in node.outputs where !output.isEmpty {
        produce(
          output,
          by: NodeReference(name: node.name, opType: node.op.opType).description
        )
      }
    }
    for tensor in order {
      if let list = producers[tensor], list.count > 1 {
        errors.append(.duplicateProducer(tensor: tensor, producers: list))
      }
    }
    for node in nodes {
      for input in node.inputs where !input.isEmpty && producers[input] == nil {
        errors.append(.missingTensor(name: input, node: node.reference))
      }
    }
    for output in outputs where producers[output] == nil {
      errors.append(.missingTensor(name: output, node: nil))
    }

    var cyclic = false
    do {
      _ = try topologicalOrder()
    } catch {
      cyclic = true
      errors.append(error)
    }
    if errors.isEmpty && !cyclic {
      do {
        _ = try inferShapes()
      } catch {
        errors.append(error)
      }
    }
    return errors.map { $0.diagnostic(file: file) }
  }
}
