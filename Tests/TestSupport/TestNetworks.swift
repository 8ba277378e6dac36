import NetworkGraph

/// Shape-only networks of known counts, built in code, shared by the test
/// targets that count and map them.
package enum TestNetworks {
  /// A weight with absent data (shape-only models).
  package static func absent(_ name: String, _ dims: [Int]) throws -> Tensor {
    Tensor(
      absentDataNamed: name, elementType: .float32,
      shape: try TensorShape(dims))
  }

  /// LeNet-5 (LeCun and others, 1998), torchvision style.
  ///
  /// Conv 5×5×6 on 1×32×32,
  /// ReLU, 2×2 max pool, conv 5×5×16, ReLU, pool, FC 120, 84, 10.
  package static func leNet5() throws -> Network {
    var network = Network(
      name: "lenet5", inputs: [GraphInput(name: "x", shape: [1, 1, 32, 32])])
    for (name, dims) in [
      ("c1.w", [6, 1, 5, 5]), ("c1.b", [6]), ("c2.w", [16, 6, 5, 5]),
      ("c2.b", [16]), ("f1.w", [120, 400]), ("f1.b", [120]),
      ("f2.w", [84, 120]), ("f2.b", [84]), ("f3.w", [10, 84]), ("f3.b", [10]),
    ] {
      try network.addInitializer(absent(name, dims))
    }
    let pool = PoolAttributes(kernelShape: [2, 2], strides: [2, 2])
    let fc = GemmAttributes(transB: true)
    network.nodes = [
      Node(
        name: "conv1", op: .conv(ConvAttributes()),
        inputs: ["x", "c1.w", "c1.b"], outputs: ["a1"]),
      Node(name: "relu1", op: .relu, inputs: ["a1"], outputs: ["r1"]),
      Node(name: "pool1", op: .maxPool(pool), inputs: ["r1"], outputs: ["p1"]),
      Node(
        name: "conv2", op: .conv(ConvAttributes()),
        inputs: ["p1", "c2.w", "c2.b"], outputs: ["a2"]),
      Node(name: "relu2", op: .relu, inputs: ["a2"], outputs: ["r2"]),
      Node(name: "pool2", op: .maxPool(pool), inputs: ["r2"], outputs: ["p2"]),
      Node(
        name: "flatten", op: .flatten(axis: 1), inputs: ["p2"], outputs: ["f"]),
      Node(
        name: "fc1", op: .gemm(fc), inputs: ["f", "f1.w", "f1.b"],
        outputs: ["g1"]),
      Node(name: "relu3", op: .relu, inputs: ["g1"], outputs: ["r3"]),
      Node(
        name: "fc2", op: .gemm(fc), inputs: ["r3", "f2.w", "f2.b"],
        outputs: ["g2"]),
      Node(name: "relu4", op: .relu, inputs: ["g2"], outputs: ["r4"]),
      Node(
        name: "fc3", op: .gemm(fc), inputs: ["r4", "f3.w", "f3.b"],
        outputs: ["y"]),
    ]
    network.outputs = ["y"]
    return network
  }
}
