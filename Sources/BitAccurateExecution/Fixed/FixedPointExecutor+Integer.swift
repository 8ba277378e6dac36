import FixedPointArithmetic
import NetworkGraph

extension FixedPointExecutor {
  /// A non-linear node under `nonlinear: integer`: the I-BERT kernels of
  /// ``FixedPointArithmetic/IntegerApproximation`` on the input's raws, the
  /// output in the layer's format (`halfEven`, `saturate`, events counted),
  /// as `Documentation/Quantization.md` specifies.
  ///
  /// - Returns: `nil` when the operator has no integer kernel; the caller
  ///   then computes the float island.
  func integerFunction(
    _ prepared: PreparedNode, _ x: RawTensor, _ output: QFormat,
    operands: [TensorValue?] = []
  ) throws(ExecutionError) -> NodeResult? {
    let fl = x.format.fractionalLength
    let kernel: (Int64, Int, QFormat) -> (value: Int64, event: OverflowEvent)
    switch prepared.node.op {
    case .softmax(let axis):
      return try softmax(prepared, x, axis: axis, output)
    case .extended(.layerNormalization(let axis, let epsilon)):
      return try layerNormalization(
        prepared, x, axis: axis, epsilon: epsilon, output)
    case .activation(.sigmoid): kernel = IntegerApproximation.sigmoid
    case .activation(.tanh): kernel = IntegerApproximation.tanh
    case .activation(.gelu): kernel = IntegerApproximation.gelu
    case .activation(.erf): kernel = IntegerApproximation.erf
    case .activation(.exp): kernel = IntegerApproximation.exp
    case .extended(.recurrent(let attributes)):
      return try recurrent(prepared, x, attributes, output, operands: operands)
    default: return nil
    }
    var events = NodeEvents()
    var raws = [Int64](repeating: 0, count: x.raws.count)
    for index in raws.indices {
      let (value, event) = kernel(x.raws[index], fl, output)
      raws[index] = value
      events.output.record(event)
    }
    return NodeResult(
      value: .fixed(RawTensor(unchecked: x.shape, raws: raws, format: output)),
      events: events)
  }

  /// LayerNormalization over the axes from `axis` on (Quantization.md I10):
  /// γ quantized with the layer's weight format (`halfEven`, its storage
  /// policy), β `halfEven`/`saturate` to 48 bits on the grid 15 + fl_γ.
  func layerNormalization(
    _ prepared: PreparedNode, _ x: RawTensor, axis: Int, epsilon: Float,
    _ output: QFormat
  ) throws(ExecutionError) -> NodeResult {
    let node = prepared.node
    let rank = x.shape.count
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0, a < rank, let weight = prepared.layer.weight else {
      throw .unsupported(
        node: node.reference,
        message:
          "LayerNormalization needs an axis in the rank and a weight format")
    }
    let block = FloatTensor.count(Array(x.shape[a...]))
    func parameter(_ index: Int) throws(ExecutionError) -> [Float]? {
      guard index < node.inputs.count, !node.inputs[index].isEmpty else {
        return nil
      }
      guard let tensor = network.initializer(named: node.inputs[index]),
        let values = tensor.floatValues
      else {
        throw .unsupported(
          node: node.reference,
          message: "integer LayerNormalization needs constant Scale and B")
      }
      guard values.count == block || values.count == 1 else {
        throw .shapeMismatch(
          tensor: node.name,
          message:
            "input \(index) has \(values.count) values for rows of \(block)")
      }
      return values.count == block
        ? values : Array(repeating: values[0], count: block)
    }
    guard let scales = try parameter(1) else {
      throw .missingTensor(name: "input 1", node: node.reference)
    }
    let gamma = try PreparedNode.quantize(
      scales, name: node.inputs[1], format: weight, rounding: .halfEven,
      overflow: prepared.layer.weightOverflow)
    var beta: [Int64] = []
    if let biases = try parameter(2) {
      let grid: QFormat
      do {
        grid = try QFormat.accumulator(
          bits: 48,
          fractionalLength: IntegerApproximation.normalizedBits
            + weight.fractionalLength)
      } catch {
        throw .arithmetic(tensor: node.inputs[2], error: error)
      }
      beta = try PreparedNode.quantize(
        biases, name: node.inputs[2], format: grid, rounding: .halfEven,
        overflow: .saturate
      ).raws
    }
    var raws = [Int64](repeating: 0, count: x.raws.count)
    var events = NodeEvents()
    for start in stride(from: 0, to: x.raws.count, by: max(1, block)) {
      let result = IntegerApproximation.normalize(
        Array(x.raws[start..<start + block]),
        fractionalLength: x.format.fractionalLength, centre: true,
        epsilon: Double(epsilon), scale: gamma.raws,
        scaleFractionalLength: weight.fractionalLength, bias: beta, to: output)
      raws.replaceSubrange(start..<start + block, with: result.values)
      events.output.merge(result.events)
    }
    return NodeResult(
      value: .fixed(RawTensor(unchecked: x.shape, raws: raws, format: output)),
      events: events)
  }

  /// Softmax row by row along `axis` (Quantization.md I8).
  func softmax(
    _ prepared: PreparedNode, _ x: RawTensor, axis: Int, _ output: QFormat
  ) throws(ExecutionError) -> NodeResult {
    let rank = x.shape.count
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0, a < rank else {
      throw .unsupported(
        node: prepared.node.reference,
        message: "softmax axis \(axis) is outside rank \(rank)")
    }
    let length = x.shape[a]
    let inner = FloatTensor.count(Array(x.shape[(a + 1)...]))
    let outer = FloatTensor.count(Array(x.shape[..<a]))
    var raws = [Int64](repeating: 0, count: x.raws.count)
    var events = NodeEvents()
    for o in 0..<outer {
      for i in 0..<inner {
        let base = o * length * inner + i
        let row = (0..<length).map { x.raws[base + $0 * inner] }
        let result = IntegerApproximation.softmax(
          row, fractionalLength: x.format.fractionalLength, to: output)
        for (l, value) in result.values.enumerated() {
          raws[base + l * inner] = value
        }
        events.output.merge(result.events)
      }
    }
    return NodeResult(
      value: .fixed(RawTensor(unchecked: x.shape, raws: raws, format: output)),
      events: events)
  }
}
