import HardwareModel
import NetworkGraph

/// Turns a network into the layers the simulator runs, in topological order.
///
/// - Conv: the nest `G, N, M = Cout/G, C = Cin/G, P, Q, R, S` with strides
///   and dilations from the attributes; 1-D convolutions have `P = R = 1`.
/// - Gemm and MatMul: a 1×1 convolution with `N` rows (all leading axes of
///   the output), `C = K` and `M` output columns; a MatMul whose operands
///   are both activations (attention's `Q·Kᵀ` and `P·V`) has one group per
///   batch matrix and no weights: its `B` moves as an activation.
/// - The operators of ``NetworkGraph/ExtendedOperator``: see
///   ``ExtendedLayer``.
/// - Pooling, activations, Add, Mul, Softmax, BatchNormalization: streaming
///   work with the operation counts of `Documentation/Counting.md`.
/// - Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Dropout, Identity and
///   Concat: views that cost nothing.
/// - An activation (Relu, Clip, LeakyRelu, Sigmoid, HardSigmoid, HardSwish)
///   whose input comes from a Conv, Gemm, MatMul or pooling layer that has no
///   other reader is *fused* into it, as accelerators and CPU kernels do:
///   it is kept as a layer (its operations cost time and energy) but moves
///   no data, and the producer writes the activated tensor.
public enum LayerExtraction {
  /// Extracts the layers.
  ///
  /// - Parameters:
  ///   - network: A network whose shapes infer.
  ///   - batch: Multiplies the batch loop and every element count (≥ 1).
  ///   - shapes: `network.inferShapes()`, when the caller has it already
  ///     (a model loader infers them once); `nil` infers them here.
  /// - Returns: The layers in execution order.
  /// - Throws: Any shape-inference or counting error of the network.
  public static func layers(
    of network: Network, batch: Int = 1, shapes: InferredShapes? = nil
  ) throws(NetworkError) -> [Layer] {
    let inferred: InferredShapes
    if let shapes {
      inferred = shapes
    } else {
      inferred = try network.inferShapes()
    }
    let shapes = inferred
    let counts = try network.counts(shapes: shapes)
    let consumers = network.consumers()
    let graphOutputs = Set(network.outputs)
    let batch = max(1, batch)
    let derived = network.constantDerivedTensors()
    // Whether a MatMul's `B` is a weight: computed from constants by any
    // operator (a Transpose of a weight is a weight). Only MatMul and the
    // extended operators ask, so a network of neither never walks for it.
    var constantOperandsFound: Set<String>?
    func constantOperands() -> Set<String> {
      if let found = constantOperandsFound { return found }
      let found = network.constantDerivedTensors(anyOperator: true)
      constantOperandsFound = found
      return found
    }
    let stored = storedWidths(of: network, shapes: shapes)
    var alias: [String: String] = [:]
    var layers: [Layer] = []
    var layerOfTensor: [String: Int] = [:]
    // Activation tensors (canonical names) that hold integers, with the
    // QuantizeLinear node that wrote them.
    var quantized: [String: String] = [:]

    func canonical(_ name: String) -> String {
      var current = name
      var steps = 0
      while let next = alias[current], steps < 10_000 {
        current = next
        steps += 1
      }
      return current
    }
    // Every count times the batch is checked: a count that does not fit in
    // Int is an error naming the node, never a wrapped (or zero) figure.
    var current: NodeReference?
    func times(_ count: Int, _ what: String) throws(NetworkError) -> Int {
      let (value, overflow) = count.multipliedReportingOverflow(by: batch)
      if overflow {
        throw .overflow(what: "\(what) at batch \(batch)", node: current)
      }
      return value
    }
    func elements(_ name: String) throws(NetworkError) -> Int {
      try times(
        shapes.shape(of: name)?.elementCount ?? 0, "the elements of '\(name)'")
    }

    for entry in counts.entries {
      let node = network.nodes[entry.nodeIndex]
      current = NodeReference(name: node.name, opType: node.op.opType)
      var activationInputs: [TensorUse] = []
      for (position, name) in node.inputs.enumerated() {
        guard !name.isEmpty, network.initializer(named: name) == nil,
          !derived.contains(name)
        else {
          continue
        }
        guard !node.op.metadataInputs.contains(position) else { continue }
        if case .reshape = node.op, position == 1 { continue }
        if case .clip = node.op, position > 0 { continue }
        if case .squeeze = node.op, position > 0 { continue }
        if case .unsqueeze = node.op, position > 0 { continue }
        activationInputs.append(
          TensorUse(name: canonical(name), elements: try elements(name)))
      }
      guard let outputName = node.outputs.first(where: { !$0.isEmpty }) else {
        continue
      }
      let output = TensorUse(
        name: outputName, elements: try elements(outputName))
      let ops = try times(entry.counts.otherOps, "the operations")
      var layer = Layer(
        name: node.name, opType: node.op.opType, operatorClass: nil,
        work: .view,
        inputs: activationInputs, output: output, otherOperations: ops)

      switch node.op {
      case .conv(let attributes):
        guard let x = node.inputs.first.flatMap({ shapes.shape(of: $0) }),
          let w = node.inputs.dropFirst().first.flatMap({ shapes.shape(of: $0) }
          ),
          let y = shapes.shape(of: outputName), x.rank >= 3, w.rank == x.rank,
          y.rank == x.rank
        else { continue }
        let spatial = x.rank - 2
        let group = max(1, attributes.group)
        let strides = attributes.strides ?? Array(repeating: 1, count: spatial)
        let dilations =
          attributes.dilations ?? Array(repeating: 1, count: spatial)
        func last(_ list: [Int], _ back: Int) -> Int {
          list.count >= back ? list[list.count - back] : 1
        }
        let nest = LoopNest(
          groups: group, batch: try times(y[0], "the batch rows"),
          outputChannels: y[1] / group,
          inputChannels: w[1], outputRows: spatial >= 2 ? y[y.rank - 2] : 1,
          outputColumns: y[y.rank - 1],
          kernelRows: spatial >= 2 ? w[w.rank - 2] : 1,
          kernelColumns: w[w.rank - 1],
          strideRows: spatial >= 2 ? last(strides, 2) : 1,
          strideColumns: last(strides, 1),
          dilationRows: spatial >= 2 ? last(dilations, 2) : 1,
          dilationColumns: last(dilations, 1),
          inputRows: spatial >= 2 ? x[x.rank - 2] : 1,
          inputColumns: x[x.rank - 1])
        layer.work = .mac(nest)
        let depthwise = group > 1 && w[1] == 1 && y[1] == group
        layer.operatorClass = depthwise ? .depthwise : .conv
        layer.weightElements = w.elementCount
      case .gemm(let attributes):
        guard let a = node.inputs.first.flatMap({ shapes.shape(of: $0) }),
          let y = shapes.shape(of: outputName), a.rank == 2, y.rank == 2
        else { continue }
        let k = attributes.transA ? a[0] : a[1]
        layer.work = .mac(
          LoopNest(
            batch: try times(y[0], "the rows"), outputChannels: y[1],
            inputChannels: k))
        layer.operatorClass = .gemm
        layer.weightElements = k * y[1]
        layer.inputs = Array(activationInputs.prefix(1))
      case .matMul:
        guard
          let product = try MatrixProduct(
            node: node, a: 0, b: 1, shapes: shapes, network: network,
            derived: constantOperands())
        else { continue }
        layer.work = .mac(try product.nest(batch: batch, node: current))
        layer.operatorClass = .gemm
        layer.weightElements = product.weightElements
        layer.weightOperandIsActivation = product.weightElements == 0
        if product.weightElements > 0 {
          layer.inputs = Array(activationInputs.prefix(1))
        }
      case .relu, .clip, .activation:
        layer.work = .streaming(operations: ops)
        layer.operatorClass = .elementwise
        if let source = activationInputs.first,
          let producer = layerOfTensor[source.name],
          isFusable(layers[producer]), consumers[source.name]?.count == 1,
          !graphOutputs.contains(source.name)
        {
          layer.fusedInto = layers[producer].name
          // The producer now writes the activated tensor.
          alias[outputName] = source.name
          layer.output = TensorUse(name: source.name, elements: output.elements)
        }
      case .maxPool, .averagePool, .globalAveragePool, .globalMaxPool:
        layer.work = .streaming(operations: ops)
        layer.operatorClass = .pool
      case .add, .mul, .batchNormalization:
        layer.work = .streaming(operations: ops)
        layer.operatorClass = .elementwise
      case .softmax:
        layer.work = .streaming(operations: ops)
        layer.operatorClass = .softmax
      case .flatten, .reshape, .squeeze, .unsqueeze, .transpose, .dropout,
        .identity:
        if let source = activationInputs.first {
          alias[outputName] = source.name
          layer.output = TensorUse(name: source.name, elements: output.elements)
        }
      case .concat:
        break
      case .extended(let op):
        if derived.contains(outputName) {
          // Weight preparation (a DequantizeLinear of stored int8 weights):
          // deployed kernels read the stored weights directly.
          layer.work = .view
          layer.otherOperations = 0
          break
        }
        if case .dequantizeLinear = op, let source = activationInputs.first,
          quantized[source.name] != nil
        {
          // The DequantizeLinear of a QDQ pair on activations: the next
          // integer kernel reads the stored integers (onnxruntime's QDQ
          // fusion), so the pair costs no pass of its own.
          layer.work = .view
          layer.otherOperations = 0
          alias[outputName] = source.name
          layer.output = TensorUse(name: source.name, elements: output.elements)
          break
        }
        if case .quantizeLinear = op, let source = activationInputs.first,
          let writer = quantized[source.name],
          let before = network.nodes.first(where: { $0.name == writer }),
          sameQuantization(before, node, network: network)
        {
          // QuantizeLinear of integers moved unchanged (a QDQ pair around a
          // Flatten or Reshape) with the same scale and zero point: an
          // identity, which onnxruntime drops.
          layer.work = .view
          layer.otherOperations = 0
          alias[outputName] = source.name
          layer.output = TensorUse(name: source.name, elements: output.elements)
          break
        }
        if case .quantizeLinear = op, let source = activationInputs.first,
          let producer = layerOfTensor[source.name],
          isFusable(layers[producer]), consumers[source.name]?.count == 1,
          !graphOutputs.contains(source.name)
        {
          // Requantization is the epilogue of the integer kernel before it
          // (QLinearConv, QGemm, an integer max pool).
          layer.work = .streaming(operations: ops)
          layer.operatorClass = .elementwise
          layer.fusedInto = layers[producer].name
          quantized[source.name] = node.name
          alias[outputName] = source.name
          layer.output = TensorUse(name: source.name, elements: output.elements)
          break
        }
        if case .quantizeLinear = op { quantized[outputName] = node.name }
        try ExtendedLayer(
          op: op, node: node, shapes: shapes, network: network,
          derived: constantOperands(), batch: batch, reference: current
        ).configure(&layer, activationInputs: activationInputs)
      }
      layer.storedBits = stored[node.name]
      layerOfTensor[layer.output.name] = layers.count
      if case .mac(let nest) = layer.work, nest.macs == nil {
        throw .overflow(
          what: "the count of multiply-accumulates at batch \(batch)",
          node: current)
      }
      layers.append(layer)
    }
    return layers
  }

  /// The stored integer width of every pre-quantized node (see
  /// ``Layer/storedBits``): the element type of its quantized operand.
  static func storedWidths(of network: Network, shapes: InferredShapes)
    -> [String: Int]
  {
    func bits(_ name: String) -> Int? {
      guard let type = shapes[name]?.elementType, !type.isFloatingPoint,
        type != .bool
      else { return nil }
      return type.byteSize * 8
    }
    var dequantized: [String: Int] = [:]
    var result: [String: Int] = [:]
    for node in network.nodes {
      guard case .extended(let op) = node.op else { continue }
      switch op {
      case .dequantizeLinear:
        if let input = node.input(0), let width = bits(input) {
          dequantized[node.outputs.first ?? ""] = width
          result[node.name] = width
        }
      case .quantizeLinear:
        if let output = node.outputs.first, let width = bits(output) {
          result[node.name] = width
        }
      case .qLinearConv, .qLinearMatMul, .convInteger, .matMulInteger:
        if let input = node.input(0), let width = bits(input) {
          result[node.name] = width
        }
      default: break
      }
    }
    for node in network.nodes {
      switch node.op {
      case .conv, .gemm, .matMul:
        let widths = node.inputs.compactMap { dequantized[$0] }
        if let width = widths.max() { result[node.name] = width }
      default: break
      }
    }
    return result
  }

  /// Whether two QuantizeLinear nodes have equal scales and zero points
  /// (by name or by value).
  private static func sameQuantization(
    _ a: Node, _ b: Node, network: Network
  ) -> Bool {
    func values(_ node: Node, _ index: Int) -> [Float]? {
      guard let name = node.input(index) else { return [] }
      return network.initializer(named: name)?.floatValues
    }
    for index in 1...2 {
      if a.input(index) == b.input(index) { continue }
      guard let x = values(a, index), let y = values(b, index), x == y else {
        return false
      }
    }
    return true
  }

  private static func isFusable(_ producer: Layer) -> Bool {
    if producer.fusedInto != nil { return false }
    switch producer.work {
    case .mac: return true
    case .streaming: return producer.operatorClass == .pool
    case .view: return false
    }
  }
}
