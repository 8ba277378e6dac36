import FixedPointArithmetic
import NetworkGraph

extension PrecisionResolver {
  /// Resolves one node, recording its output's format.
  mutating func resolveNode(
    _ node: Node, formats: inout [String: QFormat], consumers: [String: [Int]],
    shapes: InferredShapes?
  ) -> ResolvedLayer? {
    let kind = NodeKind(node.op)
    let entry = plan.entry(named: node.name)
    let merged = plan.merged(for: node.name)
    let overflow = merged.overflow ?? .saturate
    var layer = ResolvedLayer(
      name: node.name, kind: kind, weight: nil, weightOverflow: overflow,
      bias: .accumulatorGrid, output: nil, outputOverflow: overflow,
      accumulator: nil,
      accumulatorPolicy: merged.accumulator?.policy ?? .saturateFinal,
      terms: nil,
      rounding: merged.rounding ?? .requantizationDefault,
      residual: merged.residual ?? .alignUp, pooling: merged.pooling ?? .exact)
    let later = node.outputs.dropFirst().filter { !$0.isEmpty }
    for output in entry?.outputs ?? [] where !later.contains(output.name) {
      report(
        .unknownOutput(
          layer: node.name, name: output.name, outputs: Array(later)),
        at: "layers.\(node.name).outputs.\(output.name)")
    }
    guard let first = node.outputs.first, !first.isEmpty else { return layer }
    let data = NodeKind.dataInputs(of: node)
    switch kind {
    case .formatPreserving:
      if let index = data.first, let format = formats[node.inputs[index]] {
        formats[first] = format
        for (position, name) in node.outputs.enumerated().dropFirst()
        where !name.isEmpty {
          // TopK's indices are integers; Split's parts keep the format.
          if case .extended(.topK) = node.op, position == 1 {
            formats[name] = .indices
          } else {
            formats[name] = format
          }
        }
      }
      return layer
    case .floatIsland:
      // A consumer running an integer kernel needs a fixed-point input.
      let feedsFixed = node.outputs.filter { !$0.isEmpty }.contains {
        (consumers[$0] ?? []).contains {
          let consumer = network.nodes[$0]
          return NodeKind(consumer.op) != .floatIsland
            || (plan.merged(for: consumer.name).nonlinear == .integer
              && NodeKind.hasIntegerKernel(consumer))
        }
      }
      if merged.nonlinear == .integer, NodeKind.hasIntegerKernel(node) {
        layer.nonlinear = .integer
        switch node.op {
        case .extended(.layerNormalization), .extended(.recurrent):
          // γ, or W and R, take the layer's weight format (I10, I11).
          let path = rolePath(node.name, "weight", given: entry?.weight != nil)
          if let (format, policy) = self.format(
            merged.weight, layerOverflow: overflow, at: path)
          {
            layer.weight = format
            layer.weightOverflow = policy
          }
        default: break
        }
      }
      guard
        entry?.activation != nil || feedsFixed || layer.nonlinear == .integer
      else { return layer }
      let path = rolePath(
        node.name, "activation", given: entry?.activation != nil)
      if let (format, policy) = self.format(
        merged.activation, layerOverflow: overflow, at: path)
      {
        layer.output = format
        layer.outputOverflow = policy
        formats[first] = format
        // Every further output: its `outputs:` entry, else the activation.
        for name in later {
          formats[name] = format
          if let index = merged.outputs.firstIndex(where: { $0.name == name }),
            let (own, _) = self.format(
              merged.outputs[index].format, layerOverflow: overflow,
              at: "layers.\(node.name).outputs.\(name)")
          {
            formats[name] = own
          }
        }
      }
      return layer
    case .computing:
      break
    }
    let activationPath = rolePath(
      node.name, "activation", given: entry?.activation != nil)
    if let (format, policy) = self.format(
      merged.activation, layerOverflow: overflow, at: activationPath)
    {
      layer.output = format
      layer.outputOverflow = policy
      formats[first] = format
    }
    // Constant operands take the weight format.
    let biasIndex: Int? =
      switch node.op {
      case .conv, .gemm: 2
      default: nil
      }
    let constants = data.filter {
      $0 != biasIndex && network.initializer(named: node.inputs[$0]) != nil
    }
    if !constants.isEmpty {
      let path = rolePath(node.name, "weight", given: entry?.weight != nil)
      if let (format, policy) = self.format(
        merged.weight, layerOverflow: overflow, at: path)
      {
        layer.weight = format
        layer.weightOverflow = policy
      }
    }
    if let biasIndex, node.inputs.indices.contains(biasIndex),
      !node.inputs[biasIndex].isEmpty,
      case .format(let spec)? = merged.bias
    {
      let path = rolePath(node.name, "bias", given: entry?.bias != nil)
      if let (format, policy) = self.format(
        spec, layerOverflow: overflow, at: path)
      {
        layer.bias = .own(format, policy)
      }
    }
    // Operand formats (constants use the weight format).
    let graph = self.network
    let weight = layer.weight
    let known = formats
    let operandFormat = { (index: Int) -> QFormat? in
      guard node.inputs.indices.contains(index) else { return nil }
      let name = node.inputs[index]
      if graph.initializer(named: name) != nil { return weight }
      return known[name]
    }
    switch node.op {
    case .conv, .gemm, .matMul:
      resolveAccumulator(
        node, &layer, entry: entry, merged: merged,
        operandFormat: operandFormat, shapes: shapes)
    case .add:
      if layer.residual == .alignUp, let a = operandFormat(0),
        let b = operandFormat(1)
      {
        for error in FixedPoint.residualAlignmentProblems(a, b) {
          report(
            .residualAlignment(layer: node.name, error),
            at: "layers.\(node.name)")
        }
      }
    default:
      break
    }
    if case .conv = node.op, network.initializer(named: node.inputs[1]) == nil {
      report(
        .unsupportedNode(
          layer: node.name, message: "the convolution weight must be a constant"
        ),
        at: "layers.\(node.name)")
    }
    return layer
  }

  mutating func resolveAccumulator(
    _ node: Node, _ layer: inout ResolvedLayer, entry: LayerPrecision?,
    merged: LayerPrecision, operandFormat: (Int) -> QFormat?,
    shapes: InferredShapes?
  ) {
    guard let x = operandFormat(0), let w = operandFormat(1) else { return }
    var terms: Int?
    switch node.op {
    case .conv:
      if let weight = network.initializer(named: node.inputs[1]),
        weight.shape.rank >= 2
      {
        terms = weight.shape.dims.dropFirst().reduce(1, *)
      }
    case .gemm(let attributes):
      if let a = shapes?.shape(of: node.inputs[0]), a.rank == 2 {
        terms = attributes.transA ? a[0] : a[1]
      }
    default:
      if let a = shapes?.shape(of: node.inputs[0]), a.rank >= 1 {
        terms = a[a.rank - 1]
      }
    }
    guard let terms else { return }
    layer.terms = terms
    let bits =
      merged.accumulator?.bits
      ?? FixedPoint.defaultAccumulatorBits(
        weightBits: w.bits, inputBits: x.bits)
    let path =
      entry?.accumulator != nil
      ? "layers.\(node.name).accumulator"
      : (entry != nil ? "layers.\(node.name)" : "default.accumulator")
    let errors = FixedPoint.accumulatorProblems(
      weightBits: w.bits, inputBits: x.bits, terms: terms, accumulatorBits: bits
    )
    for error in errors {
      report(.accumulator(layer: node.name, error), at: path)
    }
    if errors.isEmpty,
      let format = try? QFormat.accumulator(
        bits: bits, fractionalLength: w.fractionalLength + x.fractionalLength)
    {
      layer.accumulator = format
    }
  }
}
