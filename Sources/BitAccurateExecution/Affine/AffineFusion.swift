import NetworkGraph

/// A float Conv, MatMul or Gemm whose operands all come from
/// DequantizeLinear and whose result goes only to a QuantizeLinear: the
/// pattern onnxruntime's graph optimizer replaces by QLinearConv,
/// QLinearMatMul or QGemm at its default level, and that affine execution
/// computes the same way, on integers (`Documentation/Quantization.md`,
/// "QDQ graphs").
struct AffineFusion: Hashable, Sendable {
  /// The integer product the anchor computes.
  enum Product: Hashable, Sendable {
    case conv(ConvAttributes)
    case matMul(transposeB: Bool)
    /// QLinearGlobalAveragePool: `Σ (x − z_x)` over each plane,
    /// requantized with `s_x / (s_y · H·W)`.
    case globalAveragePool
  }

  var product: Product
  /// The integer tensors behind the DequantizeLinear of `x` and `w`.
  var x: String
  var w: String?
  /// The int32 bias behind its DequantizeLinear, if any.
  var bias: String?
  var xParameters: AffineParameters
  var wParameters: AffineParameters?
  var output: AffineParameters
  /// The QuantizeLinear's output, which the fused node writes.
  var outputName: String
  /// The nodes the fusion replaces and that are not run (the anchor's
  /// Relu and QuantizeLinear).
  var absorbed: [Int]

  /// The fusions of a topologically sorted network, by anchor position.
  static func plan(_ network: Network) -> [Int: AffineFusion] {
    var producer: [String: Int] = [:]
    var consumers: [String: [Int]] = [:]
    for (position, node) in network.nodes.enumerated() {
      for name in node.outputs where !name.isEmpty { producer[name] = position }
      for name in node.inputs where !name.isEmpty {
        consumers[name, default: []].append(position)
      }
    }
    let graphOutputs = Set(network.outputs)
    var fusions: [Int: AffineFusion] = [:]
    for (position, node) in network.nodes.enumerated() {
      if let fusion = fusion(
        at: position, node, network: network, producer: producer,
        consumers: consumers, graphOutputs: graphOutputs)
      {
        fusions[position] = fusion
      }
    }
    return fusions
  }

  // swift-format-ignore: FunctionLength
  private static func fusion(
    at position: Int, _ node: Node, network: Network, producer: [String: Int],
    consumers: [String: [Int]], graphOutputs: Set<String>
  ) -> AffineFusion? {
    let product: Product
    switch node.op {
    case .conv(let attributes): product = .conv(attributes)
    case .matMul: product = .matMul(transposeB: false)
    case .globalAveragePool: product = .globalAveragePool
    case .gemm(let attributes)
    where attributes.alpha == 1 && attributes.beta == 1 && !attributes.transA:
      product = .matMul(transposeB: attributes.transB)
    default: return nil
    }
    /// The DequantizeLinear producing input `index`, its integer input and
    /// parameters.
    func dequantized(_ index: Int, rank: Int?, axis: (Int) -> Bool)
      -> (String, AffineParameters)?
    {
      guard index < node.inputs.count,
        let source = producer[node.inputs[index]],
        case .extended(.dequantizeLinear(let dqAxis)) = network.nodes[source]
          .op
      else { return nil }
      let dq = network.nodes[source]
      let constant = network.initializer(named: dq.inputs[0])
      let rank = constant?.shape.dims.count ?? rank
      let dims = constant?.shape.dims
      guard
        let parameters = try? AffineParameters.read(
          dq, scaleInput: 1, zeroInput: 2, network: network, rank: rank,
          axis: dqAxis, channels: { dims?[$0] },
          defaultType: constant?.elementType ?? .uint8,
          allowedTypes: [.uint8, .int8, .int32]),
        parameters.axis.map(axis) ?? true
      else { return nil }
      return (dq.inputs[0], parameters)
    }
    guard
      let (x, xParameters) = dequantized(0, rank: nil, axis: { _ in false }),
      xParameters.elementType != .int32
    else { return nil }
    var w: String?
    var wParameters: AffineParameters?
    var bias: String?
    if product != .globalAveragePool {
      guard
        let (name, parameters, biasName) = weightAndBias(
          node, product: product, network: network, producer: producer,
          dequantized: { dequantized($0, rank: $1, axis: $2) })
      else { return nil }
      (w, wParameters, bias) = (name, parameters, biasName)
    }
    // The result goes to one QuantizeLinear, through a Relu only when the
    // zero point is the type's minimum (onnxruntime removes that Relu).
    guard let result = node.outputs.first, !graphOutputs.contains(result),
      let readers = consumers[result], readers.count == 1
    else { return nil }
    var absorbed = [readers[0]]
    var quantize = network.nodes[readers[0]]
    var clip: (Float, Float)?
    switch quantize.op {
    case .relu: clip = (0, .infinity)
    case .clip(let low, let high): clip = (low ?? -.infinity, high ?? .infinity)
    default: break
    }
    if clip != nil, product != .globalAveragePool {
      guard let reluOut = quantize.outputs.first,
        !graphOutputs.contains(reluOut),
        let next = consumers[reluOut], next.count == 1
      else { return nil }
      absorbed.append(next[0])
      quantize = network.nodes[next[0]]
    }
    guard
      case .extended(.quantizeLinear(let qAxis, let outputType)) = quantize.op,
      let output = try? AffineParameters.read(
        quantize, scaleInput: 1, zeroInput: 2, network: network, rank: nil,
        axis: qAxis, channels: { _ in nil },
        defaultType: outputType ?? .uint8, allowedTypes: [.uint8, .int8]),
      output.scales.count == 1, output.elementType == xParameters.elementType,
      let outputName = quantize.outputs.first
    else { return nil }
    if let (low, high) = clip {
      // onnxruntime removes a Relu or Clip before a QuantizeLinear whose
      // range lies inside it (Q(clip(v)) = Q(v) for every v then).
      let range = output.range
      let zero = output.zeroPoint(0)
      let scale = output.scale(0)
      guard low <= Float(range.lowerBound - zero) * scale,
        high >= Float(range.upperBound - zero) * scale
      else { return nil }
    } else if case .clip = quantize.op {
      return nil
    } else if case .relu = quantize.op {
      return nil
    }
    return AffineFusion(
      product: product, x: x, w: w, bias: bias, xParameters: xParameters,
      wParameters: wParameters, output: output, outputName: outputName,
      absorbed: absorbed)
  }

  /// The integer weight and bias behind a product's DequantizeLinear inputs.
  private static func weightAndBias(
    _ node: Node, product: Product, network: Network,
    producer: [String: Int],
    dequantized: (Int, Int?, (Int) -> Bool) -> (String, AffineParameters)?
  ) -> (String, AffineParameters, String?)? {
    let weightRank = network.initializer(named: node.inputs[1])?.shape.dims
      .count
    let wConstant = producer[node.inputs[1]].flatMap {
      network.initializer(named: network.nodes[$0].inputs[0])
    }
    let wRank = wConstant?.shape.dims.count ?? weightRank
    guard
      let (w, wParameters) = dequantized(
        1, wRank,
        { axis in
          switch product {
          case .conv: axis == 0
          case .matMul(let transposeB):
            transposeB ? axis == 0 : axis == (wRank ?? 0) - 1
          case .globalAveragePool: false
          }
        }),
      wParameters.elementType != .int32
    else { return nil }
    var bias: String?
    if node.inputs.count > 2, !node.inputs[2].isEmpty {
      guard let (b, bParameters) = dequantized(2, 1, { $0 == 0 }),
        bParameters.elementType == .int32,
        bParameters.zeroPoints.allSatisfy({ $0 == 0 }),
        network.initializer(named: b) != nil
      else { return nil }
      bias = b
    }
    return (w, wParameters, bias)
  }
}
