import Diagnostics
import HeapModule
import NetworkGraph

extension ModelReader {
  /// Visits the nodes in data-flow order: Constant nodes become initializers,
  /// evaluable shape computations are folded, the rest map to IR nodes.
  ///
  /// Every unsupported node is reported, not just the first.
  mutating func walkNodes(
    _ graph: Onnx_GraphProto, opset: Int, state: ImportState,
    externalData: (ExternalDataRequest) -> ExternalDataResult
  ) {
    let names = Self.uniqueNodeNames(graph.node)
    for index in Self.dataFlowOrder(graph.node) {
      let proto = graph.node[index]
      let attributes = NodeAttributes(proto, index: index, context: context)
      let entity = attributes.entity
      guard proto.domain.isEmpty || proto.domain == "ai.onnx" else {
        diagnostics.append(
          context.error(
            "\(entity) is in operator domain '\(proto.domain)', which EdgeSim does not "
              + "support", entity: entity,
            hint: "only the default ONNX domain ('' or 'ai.onnx') is supported")
        )
        continue
      }
      if proto.opType == "Constant" {
        constantNode(
          proto, attributes: attributes, state: state,
          externalData: externalData)
        continue
      }
      if ConstantFolder.operators.contains(proto.opType) {
        let folder = ConstantFolder(
          opset: opset, attributes: attributes, inputs: proto.input,
          state: state)
        switch folder.fold(proto.opType) {
        case .folded(let values):
          // A Shape of an activation, or anything computed from one, depends
          // on the bound dimensions: not a parameter of the model. Nor is a
          // broadcast literal (Expand folds only what the file does not
          // store as an initializer: an exporter's zero initial state).
          let computed =
            (proto.opType == "Shape"
              && proto.input.first.map { state.constant($0) == nil } ?? false)
            || proto.opType == "Expand"
            || proto.input.contains(where: state.isShapeComputed)
          store(values, outputs: proto.output, entity: entity, state: state)
          if computed { state.markShapeComputed(proto.output) }
          continue
        case .invalid(let message):
          diagnostics.append(
            context.error("\(entity): \(message)", entity: entity))
          continue
        case .notConstant:
          break
        }
      }
      let mapper = OperatorMapper(
        opset: opset, node: proto, name: names[index], attributes: attributes,
        state: state)
      do {
        if let mapped = try mapper.map() {
          state.append(mapped)
        } else {
          unsupported(proto, entity: entity, state: state)
        }
      } catch {
        diagnostics.append(error)
      }
    }
  }

  private mutating func unsupported(
    _ proto: Onnx_NodeProto, entity: String, state: ImportState
  ) {
    let foldable = ConstantFolder.operators.contains(proto.opType)
    let hint =
      "supported operators: "
      + ONNXImporter.supportedOperators.joined(separator: ", ")
      + "; evaluated when their inputs are constant (shape computations): "
      + ONNXImporter.foldedOperators.joined(separator: ", ")
    guard foldable else {
      diagnostics.append(
        context.error(
          "\(entity): operator '\(proto.opType)' is not supported",
          entity: entity, hint: hint))
      return
    }
    // A shape computation that could not be evaluated. When earlier errors
    // explain why (an unsupported node upstream), do not pile on.
    guard !diagnostics.containsErrors else { return }
    var message =
      "\(entity): '\(proto.opType)' is supported only as a shape computation on constant "
      + "inputs, and its inputs are not all constant"
    if proto.opType == "Shape", let error = state.inferenceError {
      message += " (the input's shape is unknown: \(error.message))"
    }
    diagnostics.append(context.error(message, entity: entity, hint: hint))
  }

  /// Constant-13 and later: exactly one of `value`, `value_float(s)` and
  /// `value_int(s)` becomes an initializer named after the output.
  private mutating func constantNode(
    _ proto: Onnx_NodeProto, attributes: NodeAttributes, state: ImportState,
    externalData: (ExternalDataRequest) -> ExternalDataResult
  ) {
    let entity = attributes.entity
    guard let output = proto.output.first, !output.isEmpty else {
      diagnostics.append(
        context.error("\(entity) has no output", entity: entity))
      return
    }
    do {
      let value: ConstantValue?
      if let tensor = try attributes.tensor("value") {
        let decoder = TensorDecoder(
          context: context,
          maximumExternalTensorBytes: options.maximumExternalTensorBytes)
        let decoded = try decoder.decode(
          tensor, name: output, externalData: externalData)
        if decoded.missingFile != nil {
          state.setConstant(decoded.tensor)
          return
        }
        value = ConstantValue(decoded.tensor)
      } else if let float = try attributes.optionalFloat("value_float") {
        value = ConstantValue(
          elementType: .float32, dims: [], values: .floats([float]))
      } else if let floats = try attributes.floats("value_floats") {
        value = ConstantValue(
          elementType: .float32, dims: [floats.count], values: .floats(floats))
      } else if let int = try attributes.optionalInt("value_int") {
        value = ConstantValue(
          elementType: .int64, dims: [], values: .integers([Int64(int)]))
      } else if let ints = try attributes.ints("value_ints") {
        value = ConstantValue(int64s: ints.map { Int64($0) })
      } else {
        let present = attributes.names.joined(separator: ", ")
        diagnostics.append(
          context.error(
            "\(entity): only 'value', 'value_float(s)' and 'value_int(s)' are supported"
              + (present.isEmpty
                ? ", and none is present" : "; it has \(present)"),
            entity: entity))
        return
      }
      if let value {
        store([value], outputs: [output], entity: entity, state: state)
      }
    } catch {
      diagnostics.append(error)
    }
  }

  private mutating func store(
    _ values: [ConstantValue], outputs: [String], entity: String,
    state: ImportState
  ) {
    for (value, name) in zip(values, outputs) where !name.isEmpty {
      do {
        state.setConstant(try value.tensor(named: name))
      } catch {
        diagnostics.append(
          context.error(
            "\(entity): the computed value is invalid: \(error.message)",
            entity: entity))
      }
    }
  }

  /// Node names for the IR: the ONNX name, or `<OpType>_<index>` for an
  /// unnamed node; a repeated name gets a `_1`, `_2`, … suffix.
  static func uniqueNodeNames(_ nodes: [Onnx_NodeProto]) -> [String] {
    var used = Set(nodes.map(\.name))
    var seen: Set<String> = []
    var result: [String] = []
    for (index, node) in nodes.enumerated() {
      var name = node.name.isEmpty ? "\(node.opType)_\(index)" : node.name
      if !seen.insert(name).inserted
        || (node.name.isEmpty && used.contains(name))
      {
        let base = name
        var counter = 1
        repeat {
          name = "\(base)_\(counter)"
          counter += 1
        } while used.contains(name) || seen.contains(name)
        seen.insert(name)
      }
      used.insert(name)
      result.append(name)
    }
    return result
  }

  /// Node indices in data-flow order (Kahn's algorithm, ties in file order).
  ///
  /// Nodes on a cycle come last, in file order; validation reports the cycle.
  static func dataFlowOrder(_ nodes: [Onnx_NodeProto]) -> [Int] {
    var producer: [String: Int] = [:]
    for (index, node) in nodes.enumerated() {
      for output in node.output where !output.isEmpty && producer[output] == nil
      {
        producer[output] = index
      }
    }
    var pending = Array(repeating: 0, count: nodes.count)
    var readers = Array(repeating: [Int](), count: nodes.count)
    for (index, node) in nodes.enumerated() {
      var sources: Set<Int> = []
      for input in node.input where !input.isEmpty {
        if let source = producer[input], source != index {
          sources.insert(source)
        }
      }
      pending[index] = sources.count
      for source in sources { readers[source].append(index) }
    }
    var ready = Heap(nodes.indices.filter { pending[$0] == 0 })
    var order: [Int] = []
    var placed = Array(repeating: false, count: nodes.count)
    while let index = ready.popMin() {
      order.append(index)
      placed[index] = true
      for reader in readers[index] {
        pending[reader] -= 1
        if pending[reader] == 0 { ready.insert(reader) }
      }
    }
    order += nodes.indices.filter { !placed[$0] }
    return order
  }
}
