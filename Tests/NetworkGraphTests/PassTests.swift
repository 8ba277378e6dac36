import NetworkGraph
import Testing

/// A direct convolution (stride 1, no padding, group 1) on `[1, C, H, W]`.
private func convolve(
  _ x: [Float], c: Int, h: Int, w: Int, weight: [Float], bias: [Float], k: Int
) -> [Float] {
  let filters = bias.count
  let oh = h - k + 1
  let ow = w - k + 1
  var y: [Float] = []
  for f in 0..<filters {
    for i in 0..<oh {
      for j in 0..<ow {
        var sum = Double(bias[f])
        for ch in 0..<c {
          for u in 0..<k {
            for v in 0..<k {
              sum +=
                Double(x[(ch * h + i + u) * w + j + v])
                * Double(weight[((f * c + ch) * k + u) * k + v])
            }
          }
        }
        y.append(Float(sum))
      }
    }
  }
  return y
}

private func convBN(
  weight: Tensor, bias: Tensor?, scale: [Float], shift: [Float], mean: [Float],
  variance: [Float], epsilon: Float, input: [Int] = [1, 1, 2, 2]
) throws -> Network {
  let c = scale.count
  var network = Network(
    name: "g", inputs: [GraphInput(name: "x", shape: input)])
  try network.addInitializer(weight)
  if let bias { try network.addInitializer(bias) }
  try network.addInitializer(constant("gamma", [c], scale))
  try network.addInitializer(constant("beta", [c], shift))
  try network.addInitializer(constant("mean", [c], mean))
  try network.addInitializer(constant("var", [c], variance))
  network.nodes = [
    Node(
      name: "conv", op: .conv(ConvAttributes()),
      inputs: ["x", weight.name] + (bias.map { [$0.name] } ?? []),
      outputs: ["c"]),
    Node(
      name: "bn", op: .batchNormalization(epsilon: epsilon),
      inputs: ["c", "gamma", "beta", "mean", "var"], outputs: ["y"]),
  ]
  network.outputs = ["y"]
  return network
}

@Suite("Graph passes: Identity/Dropout removal and BatchNormalization folding")
struct PassTests {
  @Test func foldsIntoConvByHand() throws {
    // s = γ/√(var+ε) = [2/2, 0.5/1] = [1, 0.5];
    // W' = [2·1, 3·0.5] = [2, 1.5]; b' = [(1−1)·1+0.1, (−1−2)·0.5+0.2] = [0.1, −1.3].
    let network = try convBN(
      weight: constant("w", [2, 1, 1, 1], [2, 3]),
      bias: constant("b", [2], [1, -1]),
      scale: [2, 0.5], shift: [0.1, 0.2], mean: [1, 2], variance: [4, 1],
      epsilon: 0)
    let folded = network.foldingBatchNormalization()
    #expect(folded.nodes.map(\.name) == ["conv"])
    #expect(folded.nodes[0].outputs == ["y"])
    let weight = try #require(
      folded.initializer(named: folded.nodes[0].inputs[1]))
    let bias = try #require(
      folded.initializer(named: folded.nodes[0].inputs[2]))
    #expect(weight.floatValues == [2, 1.5])
    let b = try #require(bias.floatValues)
    #expect(abs(b[0] - 0.1) < 1e-6 && abs(b[1] + 1.3) < 1e-6)
    #expect(folded.initializers.count == 2)  // BN operands are gone.

    // Folded conv output equals BN(conv(x)) computed by hand on x = [1, 2, 3, 4].
    let x: [Float] = [1, 2, 3, 4]
    let y = convolve(x, c: 1, h: 2, w: 2, weight: [2, 1.5], bias: b, k: 1)
    let expected: [Float] = [2.1, 4.1, 6.1, 8.1, 0.2, 1.7, 3.2, 4.7]
    for (got, want) in zip(y, expected) { #expect(abs(got - want) < 1e-5) }
  }

  @Test func foldedConvMatchesReferenceOn3x3() throws {
    let weightValues = (0..<54).map { Float(($0 * 37) % 11) / 7 - 0.6 }
    let network = try convBN(
      weight: constant("w", [3, 2, 3, 3], weightValues), bias: nil,
      scale: [1.5, -0.7, 0.2], shift: [0.3, 0, -1], mean: [0.1, -0.4, 2],
      variance: [0.9, 0.05, 3],
      epsilon: 1e-5, input: [1, 2, 4, 4])
    let folded = network.foldingBatchNormalization()
    #expect(folded.nodes.count == 1)
    #expect(try folded.inferShapes().shape(of: "y")?.dims == [1, 3, 2, 2])
    let x = (0..<32).map { Float(($0 * 13) % 9) / 4 - 1 }
    let conv = convolve(
      x, c: 2, h: 4, w: 4, weight: weightValues, bias: [0, 0, 0], k: 3)
    let scale: [Float] = [1.5, -0.7, 0.2]
    let shift: [Float] = [0.3, 0, -1]
    let mean: [Float] = [0.1, -0.4, 2]
    let variance: [Float] = [0.9, 0.05, 3]
    let reference = conv.enumerated().map { index, value in
      let c = index / 4
      return (value - mean[c]) / (variance[c] + 1e-5).squareRoot() * scale[c]
        + shift[c]
    }
    let w = try #require(
      folded.initializer(named: folded.nodes[0].inputs[1])?.floatValues)
    let b = try #require(
      folded.initializer(named: folded.nodes[0].inputs[2])?.floatValues)
    let result = convolve(x, c: 2, h: 4, w: 4, weight: w, bias: b, k: 3)
    for (got, want) in zip(result, reference) {
      #expect(abs(got - want) < 1e-4)
    }
  }

  @Test func foldsIntoGemmByHand() throws {
    var network = Network(
      name: "g", inputs: [GraphInput(name: "a", shape: [1, 2])])
    try network.addInitializer(constant("B", [2, 2], [1, 2, 3, 4]))
    try network.addInitializer(constant("C", [2], [0.5, -0.5]))
    try network.addInitializer(constant("gamma", [2], [2, 1]))
    try network.addInitializer(constant("beta", [2], [0, 1]))
    try network.addInitializer(constant("mean", [2], [1, 0]))
    try network.addInitializer(constant("var", [2], [1, 4]))
    network.nodes = [
      Node(
        name: "fc", op: .gemm(GemmAttributes(beta: 2)),
        inputs: ["a", "B", "C"], outputs: ["t"]),
      Node(
        name: "bn", op: .batchNormalization(epsilon: 0),
        inputs: ["t", "gamma", "beta", "mean", "var"], outputs: ["y"]),
    ]
    network.outputs = ["y"]
    let folded = network.foldingBatchNormalization()
    #expect(folded.nodes.count == 1)
    #expect(folded.nodes[0].op == .gemm(GemmAttributes(beta: 1)))
    // s = [2, 0.5]: B' scales columns; C' = s·(2·C − mean) + β = [0, 0.5].
    #expect(folded.initializer(named: "B")?.floatValues == [2, 1, 6, 2])
    #expect(folded.initializer(named: "C")?.floatValues == [0, 0.5])
  }

  @Test func shapeOnlyFoldIsStructural() throws {
    var network = Network(
      name: "g", inputs: [GraphInput(name: "x", shape: [1, 3, 8, 8])])
    try network.addInitializer(absent("w", [4, 3, 3, 3]))
    for name in ["gamma", "beta", "mean", "var"] {
      try network.addInitializer(absent(name, [4]))
    }
    network.nodes = [
      Node(
        name: "conv", op: .conv(ConvAttributes()), inputs: ["x", "w"],
        outputs: ["c"]),
      Node(
        name: "bn", op: .batchNormalization(epsilon: 1e-5),
        inputs: ["c", "gamma", "beta", "mean", "var"], outputs: ["y"]),
    ]
    network.outputs = ["y"]
    let folded = network.foldingBatchNormalization()
    #expect(folded.nodes.count == 1)
    #expect(folded.nodes[0].inputs.count == 3)
    let bias = try #require(
      folded.initializer(named: folded.nodes[0].inputs[2]))
    #expect(!bias.hasData)
    #expect(bias.shape.dims == [4])
    let counts = try folded.counts()
    #expect(counts.total.parameters == 4 * 27 + 4)
    #expect(counts.total.macs == 4 * 6 * 6 * 27)
  }

  @Test func unfoldableBatchNormalizationIsKept() throws {
    var network = try convBN(
      weight: constant("w", [2, 1, 1, 1], [2, 3]), bias: nil,
      scale: [1, 1], shift: [0, 0], mean: [0, 0], variance: [1, 1], epsilon: 0)
    // A second reader of the conv output prevents folding.
    network.nodes.append(
      Node(name: "tap", op: .relu, inputs: ["c"], outputs: ["z"]))
    network.outputs.append("z")
    #expect(network.foldingBatchNormalization().nodes.count == 3)

    var afterRelu = Network(
      name: "g", inputs: [GraphInput(name: "x", shape: [1, 2, 2, 2])])
    for name in ["gamma", "beta", "mean", "var"] {
      try afterRelu.addInitializer(constant(name, [2], [1, 1]))
    }
    afterRelu.nodes = [
      Node(name: "r", op: .relu, inputs: ["x"], outputs: ["t"]),
      Node(
        name: "bn", op: .batchNormalization(epsilon: 0),
        inputs: ["t", "gamma", "beta", "mean", "var"], outputs: ["y"]),
    ]
    afterRelu.outputs = ["y"]
    let kept = afterRelu.foldingBatchNormalization()
    #expect(kept == afterRelu)
    #expect(try kept.counts().total.otherOps == 8 + 2 * 8)
  }

  @Test func removesIdentityAndDropout() throws {
    var network = Network(
      name: "g", inputs: [GraphInput(name: "x", shape: [1, 4])])
    network.nodes = [
      Node(name: "r1", op: .relu, inputs: ["x"], outputs: ["a"]),
      Node(name: "id", op: .identity, inputs: ["a"], outputs: ["b"]),
      Node(
        name: "r2", op: .activation(.sigmoid), inputs: ["b"], outputs: ["c"]),
      Node(name: "drop", op: .dropout, inputs: ["c"], outputs: ["y", "mask"]),
    ]
    network.outputs = ["y"]
    let cleaned = network.removingIdentities()
    #expect(cleaned.nodes.map(\.name) == ["r1", "r2"])
    #expect(cleaned.nodes[1].inputs == ["a"])
    #expect(cleaned.nodes[1].outputs == ["y"])
    #expect(cleaned.validate(file: "m").isEmpty)
    #expect(try cleaned.inferShapes().shape(of: "y")?.dims == [1, 4])
    // The removed tensors are kept as aliases of what now computes them.
    #expect(
      cleaned.aliases == [
        TensorAlias(name: "b", source: "a"),
        TensorAlias(name: "c", source: "y"),
      ])
  }

  @Test func keepsInterfaceIdentities() {
    var network = Network(
      name: "g", inputs: [GraphInput(name: "x", shape: [1, 4])])
    network.nodes = [
      Node(name: "id", op: .identity, inputs: ["x"], outputs: ["y"]),
      Node(name: "drop", op: .dropout, inputs: ["x"], outputs: ["z", "mask"]),
    ]
    network.outputs = ["y", "mask"]
    #expect(network.removingIdentities().nodes.count == 2)
  }
}
