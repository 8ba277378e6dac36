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

    // Producers as node indices (graph inputs and initializers as −1 and
    // −2), described only when a tensor has several.
    var producers: [String: [Int]] = [:]
    var order: [String] = []
    func produce(_ tensor: String, by producer: Int) {
      if producers[tensor] == nil { order.append(tensor) }
      producers[tensor, default: []].append(producer)
    }
    func describe(_ producer: Int) -> String {
      switch producer {
      case -1: "graph input"
      case -2: "initializer"
      default:
        NodeReference(
          name: nodes[producer].name, opType: nodes[producer].op.opType
        )
        .description
      }
    }
    for input in inputs { produce(input.name, by: -1) }
    for tensor in initializers
    where !inputs.contains(where: { $0.name == tensor.name }) {
      // ONNX (IR ≥ 4) lets an initializer double as a graph input's default.
      produce(tensor.name, by: -2)
    }
    for (index, node) in nodes.enumerated() {
      for output in node.outputs where !output.isEmpty {
        produce(output, by: index)
      }
    }
    for tensor in order {
      if let list = producers[tensor], list.count > 1 {
        errors.append(
          .duplicateProducer(tensor: tensor, producers: list.map(describe)))
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

    // Shape inference orders the nodes first, so a cycle is its error.
    if errors.isEmpty {
      do {
        _ = try inferShapes()
      } catch {
        errors.append(error)
      }
    } else {
      do {
        _ = try topologicalOrder()
      } catch {
        errors.append(error)
      }
    }
    return errors.map { $0.diagnostic(file: file) }
  }
}
