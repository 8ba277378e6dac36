import NetworkGraph

/// Builds small shape-only networks in Swift for the simulator's tests.
struct NetworkBuilder {
  var network: Network
  var last: String
  var counter = 0

  init(name: String, input: [Int]) {
    network = Network(
      name: name, inputs: [GraphInput(name: "input", shape: input)])
    last = "input"
  }

  private mutating func fresh(_ prefix: String) -> String {
    counter += 1
    return "\(prefix)\(counter)"
  }

  private mutating func weight(_ name: String, _ shape: [Int]) {
    guard let tensorShape = try? TensorShape(shape) else { return }
    network.setInitializer(
      Tensor(absentDataNamed: name, elementType: .float32, shape: tensorShape))
  }

  /// Appends a node reading `inputs` and returns its output's name.
  @discardableResult
  mutating func node(_ name: String, _ op: Operator, inputs: [String]) -> String
  {
    let output = name + "_out"
    network.nodes.append(
      Node(name: name, op: op, inputs: inputs, outputs: [output]))
    last = output
    network.outputs = [output]
    return output
  }

  @discardableResult
  mutating func conv(
    _ name: String? = nil, in channels: Int, out filters: Int, kernel: Int,
    stride: Int = 1,
    pad: Int = 0, group: Int = 1, dilation: Int = 1, from source: String? = nil
  ) -> String {
    let name = name ?? fresh("conv")
    weight(name + "_w", [filters, channels / group, kernel, kernel])
    return node(
      name,
      .conv(
        ConvAttributes(
          group: group, strides: [stride, stride], pads: [pad, pad, pad, pad],
          dilations: [dilation, dilation])),
      inputs: [source ?? last, name + "_w"])
  }

  @discardableResult
  mutating func relu(_ name: String? = nil) -> String {
    node(name ?? fresh("relu"), .relu, inputs: [last])
  }

  @discardableResult
  mutating func maxPool(_ name: String? = nil, kernel: Int, stride: Int)
    -> String
  {
    node(
      name ?? fresh("pool"),
      .maxPool(
        PoolAttributes(
          kernelShape: [kernel, kernel], strides: [stride, stride])),
      inputs: [last])
  }

  @discardableResult
  mutating func add(_ a: String, _ b: String, name: String? = nil) -> String {
    node(name ?? fresh("add"), .add, inputs: [a, b])
  }

  @discardableResult
  mutating func globalAveragePool() -> String {
    node(fresh("gap"), .globalAveragePool, inputs: [last])
  }

  @discardableResult
  mutating func flatten() -> String {
    node(fresh("flatten"), .flatten(axis: 1), inputs: [last])
  }

  @discardableResult
  mutating func gemm(_ name: String? = nil, in features: Int, out units: Int)
    -> String
  {
    let name = name ?? fresh("fc")
    weight(name + "_w", [units, features])
    return node(
      name, .gemm(GemmAttributes(transB: true)), inputs: [last, name + "_w"])
  }

  @discardableResult
  mutating func softmax() -> String {
    node(fresh("softmax"), .softmax(axis: -1), inputs: [last])
  }
}

/// Networks the tests share.
enum Networks {
  /// A small CNN: conv-relu-pool, a residual pair, depthwise and pointwise
  /// convs, global pooling, a classifier and softmax (3×32×32 input).
  static func smallCNN(batch: Int = 1) -> Network {
    var b = NetworkBuilder(name: "small-cnn", input: [batch, 3, 32, 32])
    b.conv("conv1", in: 3, out: 16, kernel: 3, pad: 1)
    b.relu()
    b.maxPool(kernel: 2, stride: 2)
    let skip = b.last
    b.conv("conv2", in: 16, out: 16, kernel: 3, pad: 1)
    b.relu()
    let main = b.conv("conv3", in: 16, out: 16, kernel: 3, pad: 1)
    b.add(skip, main)
    b.relu()
    b.conv("dw", in: 16, out: 16, kernel: 3, stride: 2, pad: 1, group: 16)
    b.relu()
    b.conv("pw", in: 16, out: 32, kernel: 1)
    b.relu()
    b.conv("dilated", in: 32, out: 32, kernel: 3, pad: 2, dilation: 2)
    b.globalAveragePool()
    b.flatten()
    b.gemm("fc", in: 32, out: 10)
    b.softmax()
    return b.network
  }

  /// One convolution.
  static func singleConv(
    channels: Int, filters: Int, size: Int, kernel: Int, stride: Int = 1,
    pad: Int = 0,
    group: Int = 1, batch: Int = 1
  ) -> Network {
    var b = NetworkBuilder(name: "conv", input: [batch, channels, size, size])
    b.conv(
      "conv", in: channels, out: filters, kernel: kernel, stride: stride,
      pad: pad, group: group)
    return b.network
  }
}
