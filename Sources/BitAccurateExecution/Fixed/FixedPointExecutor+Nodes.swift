import FixedPointArithmetic
import NetworkGraph

extension FixedPointExecutor {
  /// Evaluates one prepared node on its operands; a convolution keeps its
  /// accumulators (``NodeResult/wide``) only with `keepWide`, and with
  /// `outputClamp` applies the ReLU or Clip that follows it to its output
  /// raws (after counting the output's events).
  ///
  /// With `narrowStorage` (an outputs-only run), a convolution on the Int16
  /// kernels and an aligned Add in one pass hold their output raws as
  /// `Int16` when the format allows (``RawStorage``); those two read such
  /// operands as they are, and every other node reads them widened.
  func evaluate(
    _ prepared: PreparedNode, _ operandsAsHeld: [TensorValue?],
    batchStart: Int, keepWide: Bool = true,
    outputClamp: OutputClamp = .unbounded, narrowStorage: Bool = false
  )
    throws(ExecutionError) -> NodeResult
  {
    let node = prepared.node
    let operands: [TensorValue?]
    switch node.op {
    case .conv, .add: operands = operandsAsHeld
    default: operands = operandsAsHeld.map { $0?.widened }
    }
    let reference = node.reference
    func operand(_ index: Int) throws(ExecutionError) -> TensorValue {
      guard index < operands.count, let value = operands[index] else {
        throw .missingTensor(name: "input \(index)", node: reference)
      }
      return value
    }
    func raw(_ index: Int) throws(ExecutionError) -> RawTensor {
      switch try operand(index) {
      case .fixed(let tensor): return tensor
      case .float:
        throw .unsupported(
          node: reference,
          message: "input \(index) is a float island's output without a format")
      }
    }
    switch prepared.layer.kind {
    case .floatIsland:
      return try island(prepared, operands, batchStart: batchStart)
    case .formatPreserving:
      return try preserving(prepared, try operand(0), operands)
    case .computing:
      break
    }
    let layer = prepared.layer
    guard let output = layer.output else {
      throw .unsupported(node: reference, message: "has no output format")
    }
    switch node.op {
    case .conv(let attributes):
      let x = try raw(0)
      guard let weight = prepared.constants[1],
        let accumulator = layer.accumulator,
        weight.shape.count == 4
      else {
        throw .unsupported(
          node: reference, message: "needs a constant 4-D weight")
      }
      let g = try ConvGeometry(
        input: x.shape, kernel: Array(weight.shape[2...]),
        strides: attributes.strides,
        dilations: attributes.dilations, pads: attributes.pads,
        autoPad: attributes.autoPad,
        ceilMode: false, node: reference)
      let groups = attributes.group
      guard groups >= 1, weight.shape[1] * groups == g.channels,
        weight.shape[0] % groups == 0
      else {
        throw .shapeMismatch(
          tensor: node.name,
          message: "weight \(weight.shape) does not fit input \(x.shape)")
      }
      let result = IntegerKernels.conv(
        x: x.storage, g: g, groups: groups, outChannels: weight.shape[0],
        weights: weight.raws,
        dot: prepared.dotWeights.flatMap {
          DotWeights.fits(x.format)
            && IntegerKernels.fitsInt32(
              weight.format, x.format, terms: $0.depth)
            ? $0.reading(x.format) : nil
        }, bias: prepared.bias, acc: accumulator,
        policy: layer.accumulatorPolicy,
        requantization: requantization(
          prepared, from: accumulator.fractionalLength, to: output,
          indexBase: batchStart &* weight.shape[0] &* g.outputPlane,
          outputClamp: outputClamp),
        concurrency: concurrency, keepAccumulators: keepWide,
        sumBound: prepared.dotWeights?.sumBound(input: x.format) ?? .max,
        narrowOutput: narrowStorage)
      let shape = [g.batch, weight.shape[0], g.outHeight, g.outWidth]
      var events = NodeEvents()
      events.accumulator = result.events
      events.output = result.output
      return NodeResult(
        value: .fixed(
          RawTensor(unchecked: shape, storage: result.raws, format: output)),
        events: events,
        wide: keepWide
          ? WideTensor(
            shape: shape, values: result.accumulators,
            fractionalLength: accumulator.fractionalLength,
            accumulator: accumulator) : nil)
    case .gemm(let attributes):
      var a = try raw(0)
      var b = try raw(1)
      if attributes.transA, a.shape.count == 2 {
        a = RawTensor(
          unchecked: [a.shape[1], a.shape[0]],
          raws: IntegerKernels.transposed(
            a.raws, rows: a.shape[0], cols: a.shape[1]),
          format: a.format)
      }
      if attributes.transB, !prepared.pretransposed, b.shape.count == 2 {
        b = RawTensor(
          unchecked: [b.shape[1], b.shape[0]],
          raws: IntegerKernels.transposed(
            b.raws, rows: b.shape[0], cols: b.shape[1]),
          format: b.format)
      }
      return try product(
        prepared, a, b, output, batchStart: batchStart,
        outputClamp: outputClamp)
    case .matMul:
      return try product(
        prepared, try raw(0), try raw(1), output, batchStart: batchStart,
        outputClamp: outputClamp)
    case .add:
      return try add(
        try raw(0), try raw(1), prepared, output, batchStart: batchStart,
        keepWide: keepWide, outputClamp: outputClamp,
        narrowStorage: narrowStorage)
    case .mul:
      return try multiply(
        prepared, try raw(0), try raw(1), output, batchStart: batchStart)
    case .averagePool(let attributes):
      return try averagePool(
        prepared, try raw(0), attributes, output, batchStart: batchStart)
    case .globalAveragePool:
      return try averagePool(
        prepared, try raw(0), nil, output, batchStart: batchStart)
    case .concat(let axis):
      var inputs: [RawTensor] = []
      for index in node.inputs.indices { inputs.append(try raw(index)) }
      return try concat(
        prepared, inputs, axis: axis, output, batchStart: batchStart)
    default:
      throw .unsupported(
        node: reference, message: "is not a computing operator")
    }
  }

  /// The flat index of this slice's first element in the whole batch's
  /// tensor, for §7 samples.
  static func indexBase(shape: [Int], count: Int, batchStart: Int) -> Int {
    guard batchStart > 0, let batch = shape.first, batch > 0 else { return 0 }
    return batchStart &* (count / batch)
  }

  /// A node's requantization from `fractionalLength` to its output (§5);
  /// `indexBase` is the flat index, in the whole batch's tensor, of the
  /// first element of this run's output (§7 samples).
  func requantization(
    _ prepared: PreparedNode, from fractionalLength: Int, to output: QFormat,
    indexBase: Int = 0, outputClamp: OutputClamp = .unbounded
  )
    -> Requantization
  {
    var requantization = Requantization(
      from: fractionalLength, to: output, rounding: prepared.layer.rounding,
      overflow: prepared.layer.outputOverflow, stream: prepared.stream,
      indexBase: indexBase, rectify: prepared.rectify)
    requantization.outputClamp = outputClamp
    return requantization
  }

  /// Requantizes a wide tensor to the output format (§5 Requantize).
  func finish(
    _ prepared: PreparedNode, _ wide: WideTensor, _ output: QFormat,
    batchStart: Int,
    accumulatorEvents: AccumulatorEvents = AccumulatorEvents(),
    outputClamp: OutputClamp = .unbounded
  ) -> NodeResult {
    let layer = prepared.layer
    let (raws, counts) = IntegerKernels.requantize(
      wide.values, fromFractionalLength: wide.fractionalLength, to: output,
      rounding: layer.rounding, overflow: layer.outputOverflow,
      stream: prepared.stream,
      indexBase: Self.indexBase(
        shape: wide.shape, count: wide.values.count, batchStart: batchStart),
      rectify: prepared.rectify, outputClamp: outputClamp)
    var events = NodeEvents()
    events.accumulator = accumulatorEvents
    events.output = counts
    return NodeResult(
      value: .fixed(
        RawTensor(unchecked: wide.shape, raws: raws, format: output)),
      events: events, wide: wide)
  }

  /// Gemm / MatMul: exact products of A and B plus the bias (§5; FC is 1×1
  /// convolution semantics), with `outputClamp` as in
  /// ``evaluate(_:_:batchStart:keepWide:outputClamp:)``.
  func product(
    _ prepared: PreparedNode, _ a: RawTensor, _ b: RawTensor, _ output: QFormat,
    batchStart: Int, outputClamp: OutputClamp = .unbounded
  ) throws(ExecutionError) -> NodeResult {
    let node = prepared.node
    guard let accumulator = prepared.layer.accumulator else {
      throw .unsupported(
        node: node.reference, message: "has no accumulator format")
    }
    let plan = try MatMulPlan(a.shape, b.shape, node: node.reference)
    var initial = [Int64](repeating: 0, count: plan.outputCount)
    if let bias = prepared.bias {
      guard let map = Broadcast(plan.outputShape, prepared.biasShape),
        map.shape == plan.outputShape
      else {
        throw .shapeMismatch(
          tensor: node.name,
          message: "bias \(prepared.biasShape) does not broadcast")
      }
      for index in 0..<map.count { initial[index] = bias[map.bIndex[index]] }
    }
    let dot = prepared.dotWeights.flatMap {
      DotWeights.fits(a.format)
        && IntegerKernels.fitsInt32(b.format, a.format, terms: plan.k)
        ? $0 : nil
    }
    let result = IntegerKernels.matMul(
      a: a.raws, b: b.raws, plan: plan, initial: initial, dot: dot,
      acc: accumulator,
      policy: prepared.layer.accumulatorPolicy,
      requantization: requantization(
        prepared, from: accumulator.fractionalLength, to: output,
        indexBase: Self.indexBase(
          shape: plan.outputShape, count: plan.outputCount,
          batchStart: batchStart), outputClamp: outputClamp),
      concurrency: concurrency)
    var events = NodeEvents()
    events.accumulator = result.events
    events.output = result.output
    return NodeResult(
      value: .fixed(
        RawTensor(
          unchecked: plan.outputShape, raws: result.raws, format: output)),
      events: events,
      wide: WideTensor(
        shape: plan.outputShape, values: result.accumulators,
        fractionalLength: accumulator.fractionalLength, accumulator: accumulator
      ))
  }
}
