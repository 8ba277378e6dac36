import NetworkGraph

/// Runs pre-quantized ONNX models (QDQ graphs and QLinear / Integer
/// operators) in the affine integer arithmetic the ONNX operators define,
/// bit for bit as onnxruntime's CPU kernels compute it
/// (`Documentation/Quantization.md`, "Affine integers").
///
/// Values are integer tensors (uint8, int8, int32) or float32 tensors
/// between a DequantizeLinear and a QuantizeLinear. A Conv, MatMul or Gemm
/// between DequantizeLinear and QuantizeLinear runs as its QLinear form
/// (``AffineFusion``); data movement on integers (pooling, reshapes,
/// transposes, concatenation) moves the integers; other float operators run
/// in the float reference kernels.
///
/// ```swift
/// let executor = try AffineExecutor(network: model.network)
/// let run = try executor.run(input: images)
/// run.outputs[0]   // .integer(IntegerTensor) for a model ending in QuantizeLinear
/// ```
public struct AffineExecutor: Sendable {
  /// The network, nodes in topological order.
  public let network: Network
  let fusions: [Int: AffineFusion]
  let absorbed: Set<Int>

  /// Whether a network holds quantized operators (QuantizeLinear,
  /// DequantizeLinear, QLinearConv, QLinearMatMul, ConvInteger,
  /// MatMulInteger), so that it runs in the affine format.
  public static func isQuantized(_ network: Network) -> Bool {
    network.nodes.contains { node in
      switch node.op {
      case .extended(.quantizeLinear), .extended(.dequantizeLinear),
        .extended(.qLinearConv), .extended(.qLinearMatMul),
        .extended(.convInteger), .extended(.matMulInteger):
        true
      default: false
      }
    }
  }

  /// Prepares a network: sorts it and finds the fused patterns.
  ///
  /// - Throws: ``ExecutionError/network(_:)`` for a cycle,
  ///   ``ExecutionError/missingData(tensor:)`` for a shape-only constant,
  ///   ``ExecutionError/unsupported(node:message:)`` for an operator
  ///   affine execution does not run.
  public init(network: Network) throws(ExecutionError) {
    do {
      self.network = try network.sortedTopologically()
    } catch {
      throw .network(error)
    }
    if let missing = network.initializers.first(where: { !$0.hasData }) {
      throw .missingData(tensor: missing.name)
    }
    fusions = AffineFusion.plan(self.network)
    absorbed = Set(fusions.values.flatMap(\.absorbed))
    for node in self.network.nodes {
      if case .extended(let op) = node.op, !Self.runs(op) {
        throw .unsupported(
          node: node.reference,
          message: "affine execution cannot run \(op.opType)")
      }
    }
  }

  static func runs(_ op: ExtendedOperator) -> Bool {
    switch op {
    case .quantizeLinear, .dequantizeLinear, .qLinearConv, .qLinearMatMul,
      .convInteger, .matMulInteger, .cast:
      true
    default: false
    }
  }

  /// Runs the network on one batch fed to its first non-constant input.
  ///
  /// - Returns: The graph outputs, integer or float.
  public func run(input: FloatTensor) throws(ExecutionError) -> [AffineValue] {
    guard
      let first = network.inputs.first(where: {
        network.initializer(named: $0.name) == nil
      })
    else { throw .invalidInput(message: "the network has no input") }
    var values: [String: AffineValue] = [first.name: .float(input)]
    for (position, node) in network.nodes.enumerated()
    where !absorbed.contains(position) {
      if let fusion = fusions[position] {
        values[fusion.outputName] = .integer(
          try fused(fusion, node: node, values: values))
        continue
      }
      let output = try evaluate(node, values: values)
      if let name = node.outputs.first, !name.isEmpty { values[name] = output }
    }
    var outputs: [AffineValue] = []
    for name in network.outputs {
      guard let value = values[name] else {
        throw .missingTensor(name: name, node: nil)
      }
      outputs.append(value)
    }
    return outputs
  }

  /// A live value or a constant, as the node reads it.
  func operand(_ index: Int, of node: Node, values: [String: AffineValue])
    throws(ExecutionError) -> AffineValue?
  {
    guard index < node.inputs.count, !node.inputs[index].isEmpty else {
      return nil
    }
    let name = node.inputs[index]
    if let value = values[name] { return value }
    guard let constant = network.initializer(named: name) else {
      throw .missingTensor(name: name, node: node.reference)
    }
    if let integers = constant.integerValues,
      !constant.elementType.isFloatingPoint
    {
      return .integer(
        IntegerTensor(
          shape: constant.shape.dims, values: integers,
          elementType: constant.elementType))
    }
    guard let floats = constant.floatValues else {
      throw .missingData(tensor: name)
    }
    return .float(FloatTensor(unchecked: constant.shape.dims, values: floats))
  }

  /// An integer operand; a float one is an error naming the node.
  func integer(_ index: Int, of node: Node, values: [String: AffineValue])
    throws(ExecutionError) -> IntegerTensor
  {
    switch try operand(index, of: node, values: values) {
    case .integer(let tensor): return tensor
    case .float:
      throw .invalidQuantization(
        node: node.reference,
        message:
          "input \(index) '\(node.inputs[index])' must be an integer tensor, not float"
      )
    case nil:
      throw .missingTensor(name: "input \(index)", node: node.reference)
    }
  }

  func fused(
    _ fusion: AffineFusion, node: Node, values: [String: AffineValue]
  ) throws(ExecutionError) -> IntegerTensor {
    func live(_ name: String) throws(ExecutionError) -> IntegerTensor {
      let probe = Node(
        name: node.name, op: node.op, inputs: [name], outputs: [])
      return try integer(0, of: probe, values: values)
    }
    let x = try live(fusion.x)
    guard x.elementType == fusion.xParameters.elementType else {
      throw .invalidQuantization(
        node: node.reference,
        message:
          "'\(fusion.x)' is \(x.elementType) but its zero point is \(fusion.xParameters.elementType)"
      )
    }
    if fusion.product == .globalAveragePool {
      return try AffineKernels.globalAveragePool(
        x, input: fusion.xParameters, output: fusion.output,
        node: node.reference)
    }
    guard let wName = fusion.w, let wParameters = fusion.wParameters else {
      throw .missingTensor(name: "input 1", node: node.reference)
    }
    let w = try live(wName)
    let bias = try fusion.bias.map { name throws(ExecutionError) in
      try live(name).values
    }
    let accumulators: (shape: [Int], values: [Int32])
    let axis: Int
    switch fusion.product {
    case .conv(let attributes):
      accumulators = try AffineKernels.conv(
        x, xZero: fusion.xParameters.zeroPoint(0), weight: w,
        weightZero: { wParameters.zeroPoint($0) }, bias: bias,
        attributes: attributes, node: node.reference)
      axis = 1
    case .matMul(let transposeB):
      accumulators = try AffineKernels.matMul(
        x, aZero: fusion.xParameters.zeroPoint(0), w,
        bZero: { wParameters.zeroPoint($0) }, bias: bias,
        transposeB: transposeB, node: node.reference)
      axis = accumulators.shape.count - 1
    case .globalAveragePool:
      throw .missingTensor(name: "input 1", node: node.reference)
    }
    let multipliers = wParameters.scales.map {
      AffineArithmetic.multiplier(
        inputScale: fusion.xParameters.scale(0), weightScale: $0,
        outputScale: fusion.output.scale(0))
    }
    return AffineKernels.requantize(
      accumulators.values, shape: accumulators.shape, axis: axis,
      multipliers: multipliers, output: fusion.output)
  }
}
