import NetworkGraph
import Testing

/// `Network.inferShape(of:nodes:inputs:initializers:)` answers as the network
/// of the same parts would, result and error alike, whether it infers the
/// nodes in turn (listed in order) or builds the network (otherwise).
@Suite struct SmallGraphShapeTests {
  /// What building the network and inferring its shapes gives.
  static func built(
    _ output: String, _ nodes: [Node], _ inputs: [GraphInput],
    _ initializers: [Tensor]
  ) -> Result<TensorShape?, NetworkError> {
    do throws(NetworkError) {
      let network = try Network(
        name: "layer", inputs: inputs, outputs: [output], nodes: nodes,
        initializers: initializers)
      return .success(try network.inferShapes().shape(of: output))
    } catch {
      return .failure(error)
    }
  }

  static func direct(
    _ output: String, _ nodes: [Node], _ inputs: [GraphInput],
    _ initializers: [Tensor]
  ) -> Result<TensorShape?, NetworkError> {
    do throws(NetworkError) {
      return .success(
        try Network.inferShape(
          of: output, nodes: nodes, inputs: inputs, initializers: initializers)
      )
    } catch {
      return .failure(error)
    }
  }

  static let weight = Tensor(
    absentDataNamed: "c.weight", elementType: .float32,
    shape: (try? TensorShape([8, 3, 3, 3])) ?? .scalar)
  static let input = GraphInput(name: "x", shape: [1, 3, 8, 8])

  @Test func aConvWithItsActivationInfersAsItsNetwork() throws {
    let nodes = [
      Node(
        name: "c", op: .conv(ConvAttributes()), inputs: ["x", "c.weight"],
        outputs: ["c"]),
      Node(name: "c/relu", op: .relu, inputs: ["c"], outputs: ["c/relu"]),
    ]
    let result = Self.direct("c/relu", nodes, [Self.input], [Self.weight])
    #expect(result == .success(try TensorShape([1, 8, 6, 6])))
    #expect(result == Self.built("c/relu", nodes, [Self.input], [Self.weight]))
  }

  @Test func shapeErrorsAreTheNetworksErrors() {
    // A 3-channel weight on a 4-channel input.
    let input = GraphInput(name: "x", shape: [1, 4, 8, 8])
    let nodes = [
      Node(
        name: "c", op: .conv(ConvAttributes()), inputs: ["x", "c.weight"],
        outputs: ["c"])
    ]
    let result = Self.direct("c", nodes, [input], [Self.weight])
    guard case .failure = result else {
      Issue.record("expected a shape error, got \(result)")
      return
    }
    #expect(result == Self.built("c", nodes, [input], [Self.weight]))
  }

  /// A node that reads a later node's output is not in order: the network
  /// is built, and its cycle is the error.
  @Test func aCycleIsTheNetworksCycle() {
    let nodes = [
      Node(name: "b", op: .relu, inputs: ["b/relu"], outputs: ["b"]),
      Node(name: "b/relu", op: .relu, inputs: ["b"], outputs: ["b/relu"]),
    ]
    let inputs = [GraphInput(name: "b/relu", shape: [1, 4])]
    let result = Self.direct("b/relu", nodes, inputs, [])
    guard case .failure(.cycle) = result else {
      Issue.record("expected a cycle, got \(result)")
      return
    }
    #expect(result == Self.built("b/relu", nodes, inputs, []))
  }

  @Test func duplicateInitializersAreTheNetworksError() {
    let nodes = [
      Node(
        name: "c", op: .conv(ConvAttributes()), inputs: ["x", "c.weight"],
        outputs: ["c"])
    ]
    let result = Self.direct(
      "c", nodes, [Self.input], [Self.weight, Self.weight])
    guard case .failure(.duplicateProducer) = result else {
      Issue.record("expected a duplicate initializer, got \(result)")
      return
    }
    #expect(
      result
        == Self.built("c", nodes, [Self.input], [Self.weight, Self.weight]))
  }
}
