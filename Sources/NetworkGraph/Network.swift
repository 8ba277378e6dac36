/// A neural network as a graph: graph inputs, constant initializers, nodes
/// that read and write named tensors, and graph outputs.
///
/// `Network` is a plain value. Importers (ONNX, YAML) build it; passes such as
/// ``removingIdentities()`` and ``foldingBatchNormalization()`` return a new
/// one; ``inferShapes()`` and ``counts()`` read it. Nodes keep the order of
/// the file; ``topologicalOrder()`` gives an execution order.
///
/// ```swift
/// var net = Network(name: "tiny", inputs: [GraphInput(name: "x", shape: [1, 3, 8, 8])])
/// try net.addInitializer(Tensor(name: "w", shape: TensorShape([4, 3, 3, 3]),
///                               values: Array(repeating: 0.1, count: 108)))
/// net.nodes.append(Node(name: "conv", op: .conv(ConvAttributes()),
///                       inputs: ["x", "w"], outputs: ["y"]))
/// net.outputs = ["y"]
/// let shapes = try net.inferShapes()   // y: [1, 4, 6, 6]
/// ```
public struct Network: Hashable, Sendable {
  /// The model's name (ONNX `graph.name`, or the YAML `name`).
  public var name: String
  /// Tensors fed from outside, in file order.
  public var inputs: [GraphInput]
  /// Names of the tensors the network returns, in file order.
  public var outputs: [String]
  /// The operations, in file order (not necessarily topological).
  public var nodes: [Node]
  /// Constant tensors, in file order.
  public private(set) var initializers: [Tensor]
  /// Tensors removed by ``removingIdentities()``, each equal to a tensor
  /// the network still computes, in the order they were removed.
  public var aliases: [TensorAlias] = []
  /// Initializers an importer computed from the graph inputs' bound shapes
  /// (attention masks, position ranges, shape vectors): stored in the
  /// deployed network, but neither learned nor in the original file, so not
  /// parameters (`Documentation/Counting.md`).
  public var shapeComputedConstants: Set<String> = []
  /// The batch size folded into constants at import, if any.
  ///
  /// An importer that bound a symbolic batch dimension while it folded
  /// shape computations into constants (a Reshape's target shape read from
  /// a Shape node) sets it: those constants hold this batch, so the network
  /// runs exactly this many samples at a time. `nil` when no
  /// constant was computed from a symbolic batch.
  public var foldedBatch: Int?
  private var initializerIndex: [String: Int]

  /// Creates a network.
  ///
  /// - Throws: ``NetworkError/duplicateProducer(tensor:producers:)`` when two
  ///   initializers share a name.
  public init(
    name: String, inputs: [GraphInput] = [], outputs: [String] = [],
    nodes: [Node] = [], initializers: [Tensor] = []
  ) throws(NetworkError) {
    self.name = name
    self.inputs = inputs
    self.outputs = outputs
    self.nodes = nodes
    self.initializers = []
    self.initializerIndex = [:]
    for tensor in initializers { try addInitializer(tensor) }
  }

  /// Creates a network with inputs only; nodes, outputs and initializers are
  /// added afterwards.
  public init(name: String, inputs: [GraphInput]) {
    self.name = name
    self.inputs = inputs
    self.outputs = []
    self.nodes = []
    self.initializers = []
    self.initializerIndex = [:]
  }

  /// The initializer named `name`, or `nil`.
  ///
  /// - Complexity: O(1) on average.
  public func initializer(named name: String) -> Tensor? {
    initializerIndex[name].map { initializers[$0] }
  }

  /// Adds a constant tensor.
  ///
  /// - Throws: ``NetworkError/duplicateProducer(tensor:producers:)`` when an
  ///   initializer of that name exists.
  public mutating func addInitializer(_ tensor: Tensor) throws(NetworkError) {
    if initializerIndex[tensor.name] != nil {
      throw .duplicateProducer(
        tensor: tensor.name, producers: ["initializer", "initializer"])
    }
    initializerIndex[tensor.name] = initializers.count
    initializers.append(tensor)
  }

  /// Adds a constant tensor, or replaces the one with the same name.
  public mutating func setInitializer(_ tensor: Tensor) {
    if let index = initializerIndex[tensor.name] {
      initializers[index] = tensor
    } else {
      initializerIndex[tensor.name] = initializers.count
      initializers.append(tensor)
    }
  }

  /// Removes every initializer that no node reads and no output names.
  public mutating func removeUnusedInitializers() {
    var used = Set(outputs)
    for node in nodes { used.formUnion(node.inputs) }
    let kept = initializers.filter { used.contains($0.name) }
    guard kept.count != initializers.count else { return }
    initializers = kept
    initializerIndex = [:]
    for (index, tensor) in kept.enumerated() {
      initializerIndex[tensor.name] = index
    }
  }

  /// The index of the node named `name`, or `nil`.
  ///
  /// - Complexity: O(n).
  public func nodeIndex(named name: String) -> Int? {
    nodes.firstIndex { $0.name == name }
  }

  /// For each tensor, the indices of the nodes that read it, in node order.
  public func consumers() -> [String: [Int]] {
    var result: [String: [Int]] = [:]
    for (index, node) in nodes.enumerated() {
      for input in node.inputs where !input.isEmpty {
        if result[input]?.last != index {
          result[input, default: []].append(index)
        }
      }
    }
    return result
  }

  /// For each tensor a node writes, the index of the first node that does.
  public func producers() -> [String: Int] {
    var result: [String: Int] = [:]
    result.reserveCapacity(nodes.count)
    for (index, node) in nodes.enumerated() {
      for output in node.outputs where !output.isEmpty && result[output] == nil
      {
        result[output] = index
      }
    }
    return result
  }
}

extension Network {
  /// Tensors computed from constants only.
  ///
  /// A DequantizeLinear of stored int8 weights, or a Transpose of a weight:
  /// the outputs of nodes whose every input is an initializer or such a
  /// tensor, starting from an operator of ``ExtendedOperator`` (so the
  /// layers of networks of the older operators are unchanged). Graph inputs
  /// never are.
  ///
  /// - Parameter anyOperator: Start from any operator, not only the modern
  ///   ones (a Transpose of a weight feeding a MatMul is then included).
  /// - Returns: The names of the tensors.
  public func constantDerivedTensors(anyOperator: Bool = false) -> Set<String> {
    var derived: Set<String> = []
    // Only an operator of `ExtendedOperator` starts a chain unless
    // `anyOperator`: without one, nothing is derived.
    guard
      anyOperator
        || nodes.contains(where: {
          if case .extended = $0.op { true } else { false }
        })
    else { return derived }
    let graphInputs = Set(inputs.map(\.name))
    guard let order = try? topologicalOrder() else { return derived }
    for index in order {
      let node = nodes[index]
      let sources = node.inputs.filter { !$0.isEmpty }
      var extended = anyOperator || sources.contains { derived.contains($0) }
      if case .extended = node.op { extended = true }
      guard extended, !sources.isEmpty,
        sources.allSatisfy({
          !graphInputs.contains($0)
            && (initializer(named: $0) != nil || derived.contains($0))
        })
      else { continue }
      for output in node.outputs where !output.isEmpty {
        derived.insert(output)
      }
    }
    return derived
  }
}
