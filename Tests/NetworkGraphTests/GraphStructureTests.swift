import Diagnostics
import NetworkGraph
import Testing

private func chain(_ nodes: [Node], inputs: [String] = ["x"], outputs: [String])
  -> Network
{
  var network = Network(
    name: "g", inputs: inputs.map { GraphInput(name: $0, shape: [1, 4]) })
  network.nodes = nodes
  network.outputs = outputs
  return network
}

@Suite("Topological order, cycles and validation")
struct GraphStructureTests {
  @Test func validOrderIsKept() throws {
    let network = chain(
      [
        Node(name: "a", op: .relu, inputs: ["x"], outputs: ["t1"]),
        Node(
          name: "b", op: .activation(.sigmoid), inputs: ["x"], outputs: ["t2"]),
        Node(name: "c", op: .add, inputs: ["t1", "t2"], outputs: ["y"]),
      ], outputs: ["y"])
    #expect(try network.topologicalOrder() == [0, 1, 2])
  }

  @Test func outOfOrderNodesAreSortedStably() throws {
    let network = chain(
      [
        Node(name: "c", op: .add, inputs: ["t1", "t2"], outputs: ["y"]),
        Node(
          name: "b", op: .activation(.sigmoid), inputs: ["x"], outputs: ["t2"]),
        Node(name: "a", op: .relu, inputs: ["x"], outputs: ["t1"]),
        Node(name: "d", op: .relu, inputs: ["x"], outputs: ["z"]),
      ], outputs: ["y", "z"])
    #expect(try network.topologicalOrder() == [1, 2, 0, 3])
    #expect(
      try network.sortedTopologically().nodes.map(\.name) == [
        "b", "a", "c", "d",
      ])
  }

  @Test func cycleIsNamed() {
    let network = chain(
      [
        Node(name: "start", op: .relu, inputs: ["x"], outputs: ["s"]),
        Node(name: "p", op: .add, inputs: ["s", "r"], outputs: ["q"]),
        Node(name: "q", op: .relu, inputs: ["q"], outputs: ["r2"]),
        Node(name: "r", op: .relu, inputs: ["r2"], outputs: ["r"]),
        Node(name: "after", op: .relu, inputs: ["r"], outputs: ["y"]),
      ], outputs: ["y"])
    #expect(throws: NetworkError.self) { try network.topologicalOrder() }
    do {
      _ = try network.topologicalOrder()
    } catch {
      guard case .cycle(let nodes) = error else {
        Issue.record("expected a cycle, got \(error)")
        return
      }
      #expect(Set(nodes.map(\.name)) == ["p", "q", "r"])
      #expect(error.message.contains("'p'"))
      #expect(error.message.contains("->"))
    }
  }

  @Test func selfLoopIsACycle() {
    let network = chain(
      [Node(name: "loop", op: .add, inputs: ["x", "y"], outputs: ["y"])],
      outputs: ["y"])
    #expect(
      throws: NetworkError.cycle(nodes: [
        NodeReference(name: "loop", opType: "Add")
      ])
    ) {
      try network.inferShapes()
    }
  }

  @Test func validationReportsEveryProblemWithNodeLocations() throws {
    var network = chain(
      [
        Node(
          name: "conv1", op: .conv(ConvAttributes()),
          inputs: ["x", "missing_w"], outputs: ["a"]),
        Node(name: "relu1", op: .relu, inputs: ["x"], outputs: ["a"]),
        Node(name: "relu1", op: .relu, inputs: ["ghost"], outputs: ["b"]),
      ], outputs: ["b", "nowhere"])
    try network.addInitializer(constant("x", [1]))
    let diagnostics = network.validate(file: "m.onnx")
    #expect(diagnostics.allSatisfy { $0.severity == .error })
    let messages = diagnostics.map(\.message)
    #expect(messages.contains("more than one node is named 'relu1'"))
    #expect(
      messages.contains(
        "tensor 'x' has several producers: graph input, initializer") == false)
    #expect(
      messages.contains(
        "tensor 'a' has several producers: node 'conv1' (Conv), node 'relu1' (Relu)"
      ))
    #expect(
      diagnostics.contains {
        $0.location
          == SourceLocation(file: "m.onnx", entity: "node 'conv1' (Conv)")
          && $0.message.contains("'missing_w', which nothing produces")
      })
    #expect(diagnostics.contains { $0.message.contains("'ghost'") })
    #expect(
      diagnostics.contains {
        $0.message == "graph output 'nowhere' is produced by no node"
          && $0.location?.entity == "output 'nowhere'"
      })
  }

  @Test func validationReportsCyclesAndShapeErrors() {
    let cyclic = chain(
      [
        Node(name: "a", op: .relu, inputs: ["b_out"], outputs: ["a_out"]),
        Node(name: "b", op: .relu, inputs: ["a_out"], outputs: ["b_out"]),
      ], outputs: ["a_out"])
    let cycle = cyclic.validate(file: "m.onnx")
    #expect(cycle.count == 1)
    #expect(cycle.first?.message.contains("cycle") == true)
    #expect(cycle.first?.location?.entity?.hasPrefix("node '") == true)

    let mismatched = chain(
      [Node(name: "sum", op: .add, inputs: ["x", "z"], outputs: ["y"])],
      inputs: ["x", "z"],
      outputs: ["y"])
    var bad = mismatched
    bad.inputs[1] = GraphInput(name: "z", shape: [1, 3])
    let diagnostics = bad.validate(file: "m.onnx")
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.location?.entity == "node 'sum' (Add)")
    #expect(diagnostics.first?.message.contains("[1, 4] and [1, 3]") == true)
    #expect(mismatched.validate(file: "m.onnx").isEmpty)
  }

  @Test func rendersAsADiagnostic() {
    let error = NetworkError.shapeMismatch(
      node: NodeReference(name: "conv1", opType: "Conv"), message: "bad")
    #expect(
      error.diagnostic(file: "m.onnx").rendered(source: nil)
        == "m.onnx (node 'conv1' (Conv)): error: node 'conv1' (Conv): bad")
  }

  @Test func duplicateInitializerIsRejected() throws {
    var network = Network(name: "g", inputs: [])
    try network.addInitializer(constant("w", [1]))
    #expect(throws: NetworkError.self) {
      try network.addInitializer(constant("w", [2]))
    }
  }
}

@Suite("Symbolic batch binding")
struct BindingTests {
  @Test func bindsTheBatchSymbolEverywhere() throws {
    let network = Network(
      name: "g",
      inputs: [
        GraphInput(
          name: "x",
          dimensions: [.symbolic("N"), .fixed(3), .fixed(8), .fixed(8)]),
        GraphInput(
          name: "mask", dimensions: [.symbolic("N"), .symbolic("len")]),
      ])
    #expect(network.symbolicDimensions == ["N", "len"])
    let one = try network.bindingBatch(1)
    #expect(try one.inputs[0].shape().dims == [1, 3, 8, 8])
    #expect(one.symbolicDimensions == ["len"])
    let eight = try network.bindingBatch(8).bindingDimensions(["len": 5])
    #expect(try eight.inputs[1].shape().dims == [8, 5])
    #expect(throws: NetworkError.invalidBinding(symbol: "N", value: 0)) {
      try network.bindingBatch(0)
    }
  }

  @Test func unboundInputIsAnError() {
    var network = Network(
      name: "g",
      inputs: [
        GraphInput(name: "x", dimensions: [.symbolic("batch"), .fixed(4)])
      ])
    network.nodes = [Node(name: "r", op: .relu, inputs: ["x"], outputs: ["y"])]
    network.outputs = ["y"]
    #expect(throws: NetworkError.unboundDimension(input: "x", symbol: "batch"))
    {
      try network.inferShapes()
    }
    #expect(
      network.validate(file: "m").first?.hint?.contains("--batch") == true)
  }
}
