import NetworkGraph
import TestSupport

/// Shape-only networks of known counts, built in code.
enum Networks {
  /// torchvision's AlexNet on 1×3×224×224 (its adaptive average pool is the
  /// identity at this size and is left out).
  static func alexNet() throws -> Network {
    var network = Network(
      name: "alexnet", inputs: [GraphInput(name: "x", shape: [1, 3, 224, 224])])
    var nodes: [Node] = []
    var current = "x"
    let pool = PoolAttributes(kernelShape: [3, 3], strides: [2, 2])
    func conv(
      _ name: String, _ weight: [Int], stride: Int, pad: Int, poolAfter: Bool
    ) throws {
      try network.addInitializer(TestNetworks.absent("\(name).w", weight))
      try network.addInitializer(TestNetworks.absent("\(name).b", [weight[0]]))
      let attributes = ConvAttributes(
        strides: [stride, stride], pads: [pad, pad, pad, pad])
      nodes.append(
        Node(
          name: name, op: .conv(attributes),
          inputs: [current, "\(name).w", "\(name).b"], outputs: ["\(name).y"]))
      nodes.append(
        Node(
          name: "\(name).relu", op: .relu, inputs: ["\(name).y"],
          outputs: ["\(name).r"]))
      current = "\(name).r"
      if poolAfter {
        nodes.append(
          Node(
            name: "\(name).pool", op: .maxPool(pool), inputs: [current],
            outputs: ["\(name).p"]))
        current = "\(name).p"
      }
    }
    try conv("conv1", [64, 3, 11, 11], stride: 4, pad: 2, poolAfter: true)
    try conv("conv2", [192, 64, 5, 5], stride: 1, pad: 2, poolAfter: true)
    try conv("conv3", [384, 192, 3, 3], stride: 1, pad: 1, poolAfter: false)
    try conv("conv4", [256, 384, 3, 3], stride: 1, pad: 1, poolAfter: false)
    try conv("conv5", [256, 256, 3, 3], stride: 1, pad: 1, poolAfter: true)
    nodes.append(
      Node(
        name: "flatten", op: .flatten(axis: 1), inputs: [current],
        outputs: ["flat"]))
    current = "flat"
    for (name, inputs, outputs) in [
      ("fc6", 9216, 4096), ("fc7", 4096, 4096), ("fc8", 4096, 1000),
    ] {
      try network.addInitializer(
        TestNetworks.absent("\(name).w", [outputs, inputs]))
      try network.addInitializer(TestNetworks.absent("\(name).b", [outputs]))
      nodes.append(
        Node(
          name: name, op: .gemm(GemmAttributes(transB: true)),
          inputs: [current, "\(name).w", "\(name).b"], outputs: ["\(name).y"]))
      current = "\(name).y"
      if name != "fc8" {
        nodes.append(
          Node(
            name: "\(name).relu", op: .relu, inputs: [current],
            outputs: ["\(name).r"]))
        current = "\(name).r"
      }
    }
    network.nodes = nodes
    network.outputs = [current]
    return network
  }

  /// One convolution of `input` by `weight`, for overflow tests.
  static func singleConv(input: [Int], weight: [Int]) throws -> Network {
    var network = Network(
      name: "one", inputs: [GraphInput(name: "x", shape: input)])
    try network.addInitializer(TestNetworks.absent("w", weight))
    network.nodes = [
      Node(
        name: "big", op: .conv(ConvAttributes()), inputs: ["x", "w"],
        outputs: ["y"])
    ]
    network.outputs = ["y"]
    return network
  }
}
