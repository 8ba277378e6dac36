import Mapping
import NetworkGraph
import Testing

/// MatMul's `B`: a weight when it is computed from constants, an activation
/// (one group per batch matrix, no weights) in attention (issue #16).
@Suite struct AttentionLayerTests {
  static func network(transposedWeight: Bool) throws -> Network {
    var net = Network(
      name: "attention",
      inputs: [
        GraphInput(name: "q", shape: [1, 2, 8, 4]),
        GraphInput(name: "k", shape: [1, 2, 4, 8]),
      ])
    try net.addInitializer(
      Tensor(
        name: "w", shape: TensorShape([8, 8]),
        values: Array(repeating: 0.1, count: 64)))
    net.nodes = [
      Node(name: "scores", op: .matMul, inputs: ["q", "k"], outputs: ["s"])
    ]
    if transposedWeight {
      net.nodes += [
        Node(
          name: "wt", op: .transpose(perm: [1, 0]), inputs: ["w"],
          outputs: ["w_t"]),
        Node(name: "proj", op: .matMul, inputs: ["s", "w_t"], outputs: ["y"]),
      ]
    } else {
      net.nodes.append(
        Node(name: "proj", op: .matMul, inputs: ["s", "w"], outputs: ["y"]))
    }
    net.outputs = ["y"]
    return net
  }

  @Test(arguments: [false, true])
  func activationAndWeightOperands(_ transposed: Bool) throws {
    let layers = try LayerExtraction.layers(
      of: Self.network(transposedWeight: transposed), batch: 3)
    let scores = try #require(layers.first { $0.name == "scores" })
    // One group per (batch, head): 3·2 matrices of 8×4 · 4×8.
    #expect(scores.nest?.groups == 6)
    #expect(scores.nest?.batch == 8 && scores.nest?.inputChannels == 4)
    #expect(scores.macs == 3 * 2 * 8 * 8 * 4)
    #expect(scores.weightElements == 0)
    #expect(scores.weightOperandIsActivation)
    #expect(scores.inputs.map(\.name) == ["q", "k"])
    // A weight, also through a Transpose: rows N = 3·2·8, reused.
    let projection = try #require(layers.first { $0.name == "proj" })
    #expect(projection.nest?.groups == 1)
    #expect(projection.nest?.batch == 48)
    #expect(projection.weightElements == 64)
    #expect(!projection.weightOperandIsActivation)
  }
}
