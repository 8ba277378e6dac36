import Diagnostics
import NetworkGraph
import Yams

/// Turns the `layers` list of a workload file into nodes, one layer at a
/// time, inferring each layer's output shape as it goes.
///
/// Each layer is checked on its own small network (its input tensors as graph
/// inputs, its weights, its one to three nodes), so a shape error from
/// `NetworkGraph` is reported at the YAML layer that caused it. A layer with
/// an error is skipped, and so, silently, is every layer that reads it: one
/// mistake gives one diagnostic, not a cascade.
struct WorkloadBuilder {
  /// The result of an earlier layer (or the graph input).
  struct Producer {
    /// The tensor the layer writes last (what `inputs:` refers to).
    var tensor: String
    /// Its shape, or `nil` when the layer had an error.
    var shape: TensorShape?
  }

  /// What a layer's nodes need to know about one input.
  struct Source {
    var tensor: String
    var shape: TensorShape
  }

  /// The nodes and weights one layer adds.
  struct LayerGraph {
    var nodes: [GraphNode] = []
    var initializers: [Tensor] = []
  }

  let document: YAMLDocument
  var network: Network
  let input: GraphInput
  /// Results of the layers read so far, by layer name.
  var producers: [String: Producer] = [:]
  /// Layer names in list order with their index, from a first pass, so a
  /// reference to a later layer is told apart from a misspelling.
  var declared: [String: Int] = [:]
  /// Every node and tensor name used so far.
  var nodeNames: Set<String> = []
  var tensorNames: Set<String> = []
  /// Names of the layers read so far, in order, for suggestions.
  var earlierNames: [String] = []

  init(document: YAMLDocument, name: String, input: GraphInput) {
    self.document = document
    self.input = input
    self.network = Network(name: name, inputs: [input])
    tensorNames.insert(input.name)
  }

  /// Reads every layer and returns the network, or `nil` after an error.
  mutating func build(_ items: [YAMLNode]) -> Network? {
    // A layer makes up to three nodes and five weights.
    producers.reserveCapacity(items.count)
    declared.reserveCapacity(items.count)
    earlierNames.reserveCapacity(items.count)
    nodeNames.reserveCapacity(2 * items.count)
    tensorNames.reserveCapacity(4 * items.count)
    declareNames(items)
    var previous: Producer? = Producer(
      tensor: input.name, shape: try? input.shape())
    for (index, item) in items.enumerated() {
      previous = readLayer(item, index: index, previous: previous)
    }
    guard let last = previous?.tensor, previous?.shape != nil,
      !document.diagnostics.containsErrors
    else { return nil }
    network.outputs = [last]
    // Every node was inferred by `infer` on the shapes its producers were
    // given (all float32: the file's input and every layer kind's output),
    // and `commit` keeps names unique, so the whole network infers the same
    // shapes; only the structure is checked again.
    for problem in network.validate(
      file: document.fileName, shapesChecked: true)
    {
      document.error(
        problem.message, at: document.root, hint: problem.hint ?? "report this")
    }
    return network
  }

  /// First pass: record each layer's name, reporting duplicates and a clash
  /// with the graph input.
  mutating func declareNames(_ items: [YAMLNode]) {
    var firstNode: [String: YAMLNode] = [:]
    for (index, item) in items.enumerated() {
      // By index: iterating a `Node.Mapping` copies its pairs.
      guard case .mapping(let mapping) = item,
        let position = mapping.indices.first(where: {
          mapping[$0].key.string == "name"
        }),
        case let node = mapping[position].value,
        case .scalar(let scalar) = node, !scalar.string.isEmpty
      else { continue }
      let name = scalar.string
      if name == input.name {
        document.error(
          "layer name '\(name)' is the name of the graph input", at: node,
          hint:
            "rename the layer, or the input with input: {name: …, shape: […]}")
      } else if let first = firstNode[name] {
        document.error(
          "duplicate layer name '\(name.prefix(60))'", at: node,
          hint:
            "'\(name.prefix(60))' is already used at line \(first.mark?.line ?? 0); "
            + "layer names must be unique")
      } else {
        firstNode[name] = node
        declared[name] = index
      }
    }
  }

  /// Reads one layer; returns what the next layer reads by default.
  mutating func readLayer(_ item: YAMLNode, index: Int, previous: Producer?)
    -> Producer?
  {
    guard
      let layer = MappingReader(
        item, in: document, path: ["layers", index], what: "layer \(index + 1)")
    else { return nil }
    let errorsBefore = errorCount
    layer.allow(WorkloadOperator.commonKeys)
    let op = layer.choice("op", as: WorkloadOperator.self, required: true)
    let name = layer.string("name") ?? "\(op?.rawValue ?? "layer")_\(index + 1)"
    guard let op else {
      layer.allow(WorkloadOperator.allKeys)
      layer.finish()
      producers[name] = producers[name] ?? Producer(tensor: name, shape: nil)
      return nil
    }
    layer.allow(op.keys)
    reportMisplacedKeys(layer, op: op)
    let sources = resolveInputs(
      layer, op: op, name: name, index: index, previous: previous)
    var graph: LayerGraph?
    if let sources {
      graph = makeGraph(layer, op: op, name: name, sources: sources)
    }
    layer.finish()
    // A second layer of a duplicate name was reported by `declareNames`.
    let duplicate = declared[name].map { $0 != index } ?? false
    let failed = errorCount > errorsBefore || duplicate
    earlierNames.append(name)
    guard !failed, let sources, let graph,
      let shape = infer(graph, sources, layer: layer)
    else {
      producers[name] = producers[name] ?? Producer(tensor: name, shape: nil)
      return Producer(tensor: name, shape: nil)
    }
    guard commit(graph, layer: layer, name: name) else {
      return Producer(tensor: name, shape: nil)
    }
    let tensor = graph.nodes.last?.outputs.first ?? name
    let producer = Producer(tensor: tensor, shape: shape)
    if producers[name] == nil { producers[name] = producer }
    return producer
  }

  var errorCount: Int {
    document.diagnostics.filter { $0.severity == .error }.count
  }

  /// Reports keys that belong to another kind of layer ("'units' does not
  /// apply to a conv layer") instead of calling them unknown.
  func reportMisplacedKeys(_ layer: MappingReader, op: WorkloadOperator) {
    let keys = op.keys
    for index in layer.mapping.indices {
      let key = layer.mapping[index].key
      guard case .scalar(let scalar) = key,
        !WorkloadOperator.commonKeys.contains(scalar.string),
        !keys.contains(scalar.string),
        WorkloadOperator.allKeys.contains(scalar.string)
      else { continue }
      let takes =
        op.keys.isEmpty ? "no attributes" : op.keys.joined(separator: ", ")
      document.error(
        "'\(scalar.string)' does not apply to \(op.phrase)", at: key,
        hint: "\(op.phrase) takes: \(takes)")
      layer.allow([scalar.string])
    }
  }

  /// The layer's inputs: `inputs:` when given, else the previous layer.
  ///
  /// Returns `nil` after an error, or silently when an input is a layer that
  /// had an error.
  func resolveInputs(
    _ layer: MappingReader, op: WorkloadOperator, name: String, index: Int,
    previous: Producer?
  ) -> [Source]? {
    let arity = op.inputArity
    let expected =
      arity.upperBound == Int.max
      ? "\(arity.lowerBound) or more" : "\(arity.lowerBound)"
    guard let node = layer.value("inputs") else {
      guard arity.contains(1) else {
        document.error(
          "\(op.phrase) reads \(expected) inputs; name them with 'inputs'",
          at: layer.node, hint: "write e.g. inputs: [block1, shortcut]")
        return nil
      }
      guard let previous, let shape = previous.shape else { return nil }
      return [Source(tensor: previous.tensor, shape: shape)]
    }
    guard let names = layer.nameList(node, key: "inputs") else { return nil }
    guard arity.contains(names.count) else {
      document.error(
        "\(op.phrase) reads \(expected) input\(expected == "1" ? "" : "s"), "
          + "but 'inputs' names \(names.count)",
        at: node,
        hint: op.inputArity == 1...1
          ? "name one earlier layer, e.g. inputs: [conv1]"
          : "name \(expected) earlier layers, e.g. inputs: [a, b]")
      return nil
    }
    var sources: [Source] = []
    var ok = true
    for (reference, referenceNode) in names {
      if reference == input.name, let shape = try? input.shape() {
        sources.append(Source(tensor: input.name, shape: shape))
        continue
      }
      if reference == name {
        document.error(
          "layer '\(name)' reads its own output", at: referenceNode,
          hint: "name an earlier layer or the input '\(input.name)'")
        ok = false
        continue
      }
      if let producer = producers[reference],
        declared[reference].map({ $0 < index }) ?? true
      {
        if let shape = producer.shape {
          sources.append(Source(tensor: producer.tensor, shape: shape))
        } else {
          ok = false  // the earlier layer has its own error
        }
        continue
      }
      ok = false
      if let later = declared[reference] {
        document.error(
          "'\(reference.prefix(60))' is layer \(later + 1), which comes later",
          at: referenceNode,
          hint:
            "layers run in the order listed; a layer reads only earlier layers or the input"
        )
        continue
      }
      let candidates = earlierNames + [input.name]
      let known = "inputs name an earlier layer or the input '\(input.name)'"
      document.error(
        "unknown layer '\(reference.prefix(60))' in 'inputs'",
        at: referenceNode,
        hint: Suggestions.closest(to: reference, among: candidates).map {
          "did you mean '\($0)'? \(known)"
        } ?? known)
    }
    return ok ? sources : nil
  }

  /// Shape inference on the layer alone; reports an error at the layer.
  func infer(_ graph: LayerGraph, _ sources: [Source], layer: MappingReader)
    -> TensorShape?
  {
    var inputs: [GraphInput] = []
    for source in sources
    where !inputs.contains(where: { $0.name == source.tensor }) {
      inputs.append(GraphInput(name: source.tensor, shape: source.shape.dims))
    }
    guard let output = graph.nodes.last?.outputs.first else { return nil }
    do throws(NetworkError) {
      // As the network of the layer alone would infer it.
      return try Network.inferShape(
        of: output, nodes: graph.nodes, inputs: inputs,
        initializers: graph.initializers)
    } catch {
      let shapes = sources.map { "'\($0.tensor)' \($0.shape)" }.joined(
        separator: " and ")
      document.error(
        error.message, at: layer.node,
        hint: "the layer reads \(shapes); check its attributes and inputs")
      return nil
    }
  }

  /// Adds a checked layer to the network, refusing names already used.
  mutating func commit(_ graph: LayerGraph, layer: MappingReader, name: String)
    -> Bool
  {
    let at = layer.value("name") ?? layer.node
    for node in graph.nodes where nodeNames.contains(node.name) {
      document.error(
        "layer '\(name)' makes a node named '\(node.name)', which is already used",
        at: at,
        hint:
          "rename the layer; layer names and the nodes they make must be unique"
      )
      return false
    }
    let tensors =
      graph.initializers.map(\.name) + graph.nodes.flatMap(\.outputs)
    for tensor in tensors where tensorNames.contains(tensor) {
      document.error(
        "layer '\(name)' makes a tensor named '\(tensor)', which is already used",
        at: at,
        hint: "rename the layer; tensor names are the layer name plus a suffix")
      return false
    }
    for tensor in graph.initializers {
      do {
        try network.addInitializer(tensor)
      } catch {
        document.error(error.message, at: at, hint: "rename the layer")
        return false
      }
    }
    nodeNames.formUnion(graph.nodes.map(\.name))
    tensorNames.formUnion(tensors)
    network.nodes += graph.nodes
    return true
  }
}
