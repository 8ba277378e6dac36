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
  /// - Parameters:
  ///   - file: The model file as the user wrote it.
  ///   - shapesChecked: The caller has inferred every node's shapes on the
  ///     operands this network gives it (a reader that checks each layer as
  ///     it adds it): the structure is checked and the nodes ordered (a cycle
  ///     is still an error), but shapes are not inferred again.
  /// - Returns: The diagnostics, in node order; empty when the network is
  ///   sound.
  public func validate(file: String, shapesChecked: Bool = false)
    -> [Diagnostic]
  {
    var errors: [NetworkError] = []
    var names: Set<String> = []
    names.reserveCapacity(nodes.count)
    var reported: Set<String> = []
    for node in nodes where !names.insert(node.name).inserted {
      if reported.insert(node.name).inserted {
        errors.append(.duplicateNodeName(node.name))
      }
    }

    // Producers as node indices (graph inputs and initializers as −1 and
    // −2): each tensor's first, and the others only for the few tensors
    // that have several (described only then), in the order of their first.
    var producers: [String: (first: Int, order: Int)] = [:]
    producers.reserveCapacity(inputs.count + initializers.count + nodes.count)
    var others: [String: [Int]] = [:]
    func produce(_ tensor: String, by producer: Int) {
      if let known = producers[tensor] {
        others[tensor, default: [known.first]].append(producer)
      } else {
        producers[tensor] = (producer, producers.count)
      }
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
    let repeated = others.keys.sorted {
      (producers[$0]?.order ?? 0) < (producers[$1]?.order ?? 0)
    }
    for tensor in repeated {
      if let list = others[tensor] {
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
    if errors.isEmpty, !shapesChecked {
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
