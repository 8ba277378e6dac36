import NetworkGraph
import TestSupport
import Testing

@Suite("Per-node counts")
struct CountingTests {
  @Test func leNet5MatchesHandCounts() throws {
    let counts = try TestNetworks.leNet5().counts()
    let byName = Dictionary(
      uniqueKeysWithValues: counts.entries.map { ($0.node.name, $0.counts) })
    // conv1: 6·28·28 outputs × 1·5·5 = 117,600; conv2: 16·10·10 × 6·5·5 = 240,000.
    #expect(byName["conv1"]?.macs == 117_600)
    #expect(byName["conv2"]?.macs == 240_000)
    #expect(byName["fc1"]?.macs == 48_000)
    #expect(byName["fc2"]?.macs == 10_080)
    #expect(byName["fc3"]?.macs == 840)
    #expect(counts.total.macs == 416_520)
    #expect(byName["conv1"]?.parameters == 156)
    #expect(byName["conv2"]?.parameters == 2_416)
    #expect(byName["fc1"]?.parameters == 48_120)
    #expect(counts.total.parameters == 61_706)
    #expect(counts.total.weightBytes == 61_706 * 4)
    // Activations: conv1 reads 1,024 and writes 4,704 elements.
    #expect(byName["conv1"]?.inputActivationElements == 1_024)
    #expect(byName["conv1"]?.outputActivationElements == 4_704)
    // Other operations: bias adds, ReLUs, 3 comparisons per 2×2 max-pool output.
    #expect(byName["conv1"]?.otherOps == 4_704)
    #expect(byName["relu1"]?.otherOps == 4_704)
    #expect(byName["pool1"]?.otherOps == 1_176 * 3)
    #expect(byName["flatten"]?.otherOps == 0)
    #expect(byName["relu1"]?.macs == 0)
    #expect(counts.entries.map(\.node.name).first == "conv1")
    #expect(counts.entries[0].outputShapes.map(\.dims) == [[1, 6, 28, 28]])
  }

  @Test func depthwiseAndGroupedMACs() throws {
    var network = Network(
      name: "g", inputs: [GraphInput(name: "x", shape: [2, 32, 56, 56])])
    try network.addInitializer(absent("dw", [32, 1, 3, 3]))
    try network.addInitializer(absent("gw", [64, 8, 1, 1]))
    network.nodes = [
      Node(
        name: "dw", op: .conv(ConvAttributes(group: 32, pads: [1, 1, 1, 1])),
        inputs: ["x", "dw"], outputs: ["a"]),
      Node(
        name: "gc", op: .conv(ConvAttributes(group: 4)), inputs: ["a", "gw"],
        outputs: ["y"]),
    ]
    network.outputs = ["y"]
    let counts = try network.counts()
    // N·Cout·H·W·(Cin/group)·K²: 2·32·56·56·1·9 and 2·64·56·56·8·1.
    #expect(counts.entries[0].counts.macs == 2 * 32 * 56 * 56 * 9)
    #expect(counts.entries[1].counts.macs == 2 * 64 * 56 * 56 * 8)
    #expect(counts.entries[0].counts.otherOps == 0)
  }

  @Test func matMulAndElementwiseCounts() throws {
    var network = Network(
      name: "g",
      inputs: [
        GraphInput(name: "a", shape: [4, 2, 3]),
        GraphInput(name: "b", shape: [3, 5]),
      ])
    try network.addInitializer(constant("shift", [5]))
    network.nodes = [
      Node(name: "mm", op: .matMul, inputs: ["a", "b"], outputs: ["p"]),
      Node(name: "add", op: .add, inputs: ["p", "shift"], outputs: ["q"]),
      Node(name: "sm", op: .softmax(axis: -1), inputs: ["q"], outputs: ["y"]),
      Node(
        name: "gap_in", op: .reshape(allowZero: false), inputs: ["y", "shape"],
        outputs: ["r"]),
      Node(name: "gap", op: .globalAveragePool, inputs: ["r"], outputs: ["z"]),
    ]
    try network.addInitializer(integers("shape", [1, 8, 5, 1]))
    network.outputs = ["z"]
    let counts = try network.counts()
    let byName = Dictionary(
      uniqueKeysWithValues: counts.entries.map { ($0.node.name, $0.counts) })
    #expect(byName["mm"]?.macs == 4 * 2 * 5 * 3)
    #expect(byName["mm"]?.inputActivationElements == 24 + 15)
    #expect(byName["add"]?.otherOps == 40)
    #expect(byName["add"]?.parameters == 5)
    #expect(byName["sm"]?.otherOps == 120)
    #expect(byName["gap_in"]?.parameters == 0)  // a shape is metadata
    #expect(byName["gap"]?.otherOps == 40)
    #expect(counts.total.parameters == 5)
  }

  @Test func sharedInitializerCountsOnceInTotals() throws {
    var network = Network(
      name: "g", inputs: [GraphInput(name: "x", shape: [1, 4])])
    try network.addInitializer(constant("w", [4, 4]))
    network.nodes = [
      Node(name: "a", op: .matMul, inputs: ["x", "w"], outputs: ["h"]),
      Node(name: "b", op: .matMul, inputs: ["h", "w"], outputs: ["y"]),
    ]
    network.outputs = ["y"]
    let counts = try network.counts()
    #expect(counts.entries.map(\.counts.parameters) == [16, 16])
    #expect(counts.total.parameters == 16)
  }

  @Test func batchNormalizationStatisticsAreNotParameters() throws {
    var network = Network(
      name: "g", inputs: [GraphInput(name: "x", shape: [1, 2, 3, 3])])
    for name in ["gamma", "beta", "mean", "var"] {
      try network.addInitializer(constant(name, [2]))
    }
    network.nodes = [
      Node(
        name: "bn", op: .batchNormalization(epsilon: 1e-5),
        inputs: ["x", "gamma", "beta", "mean", "var"], outputs: ["y"])
    ]
    network.outputs = ["y"]
    let counts = try network.counts().total
    #expect(counts.parameters == 4)
    #expect(counts.weightBytes == 8 * 4)
  }

  @Test func hugeCountsOverflowIntoErrors() throws {
    // A 2^40-element output times a 2^30-element filter block overflows 2^63.
    var network = Network(
      name: "g",
      inputs: [GraphInput(name: "x", shape: [1, 1 << 10, 1 << 15, 1 << 15])])
    try network.addInitializer(absent("w", [1 << 10, 1 << 10, 1, 1 << 14]))
    network.nodes = [
      Node(
        name: "big", op: .conv(ConvAttributes(pads: [0, 8191, 0, 8192])),
        inputs: ["x", "w"],
        outputs: ["y"])
    ]
    network.outputs = ["y"]
    #expect { try network.counts() } throws: { error in
      guard case .overflow(_, let node)? = error as? NetworkError else {
        return false
      }
      return node?.name == "big"
    }
  }

  @Test func absurdShapesAreErrors() throws {
    var network = Network(
      name: "g", inputs: [GraphInput(name: "x", shape: [1 << 21, 1 << 20])])
    network.nodes = [Node(name: "r", op: .relu, inputs: ["x"], outputs: ["y"])]
    network.outputs = ["y"]
    #expect(
      throws: NetworkError.tooManyElements(
        dims: [1 << 21, 1 << 20], tensor: "x")
    ) {
      try network.counts()
    }
  }
}
