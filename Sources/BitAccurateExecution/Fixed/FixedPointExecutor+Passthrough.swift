import FixedPointArithmetic
import NetworkGraph

extension FixedPointExecutor {
  /// Format-preserving nodes (§11): Relu and Clip on raws (§5, §12.4),
  /// MaxPool on raws (padding excluded), data movement unchanged.
  func preserving(
    _ prepared: PreparedNode, _ input: TensorValue, _ operands: [TensorValue?]
  )
    throws(ExecutionError) -> NodeResult
  {
    let node = prepared.node
    guard case .fixed(let x) = input else {
      // A float island's output passes through in Float32.
      let floats = operands.map { $0?.floatTensor }
      let outputs = try FloatKernels.evaluateAll(
        node, floats, network: network)
      guard let first = outputs.first else {
        throw .missingTensor(name: "output 0", node: node.reference)
      }
      return NodeResult(
        value: .float(first), others: outputs.dropFirst().map { .float($0) })
    }
    if Self.movesData(node.op) {
      return try movedRaws(prepared, x, operands)
    }
    switch node.op {
    case .relu:
      let raws = IntegerKernels.clip(
        x.raws, lower: 0, upper: .max, concurrency: concurrency)
      return NodeResult(
        value: .fixed(
          RawTensor(unchecked: x.shape, raws: raws, format: x.format)))
    case .clip(let lo, let hi):
      let bounds: (lower: Int64, upper: Int64)
      do {
        bounds = try Self.clipBounds(lo, hi, operands, x.format)
      } catch {
        throw .arithmetic(tensor: node.outputs.first ?? node.name, error: error)
      }
      return NodeResult(
        value: .fixed(
          RawTensor(
            unchecked: x.shape,
            raws: IntegerKernels.clip(
              x.raws, lower: bounds.lower, upper: bounds.upper,
              concurrency: concurrency),
            format: x.format)))
    case .maxPool(let attributes):
      return try maxPool(prepared, x, attributes)
    case .globalMaxPool:
      return try maxPool(prepared, x, nil)
    default:
      let plan = try LayoutPlan.make(node, input: x.shape, network: network)
      let (shape, raws) = plan.apply(x.raws)
      return NodeResult(
        value: .fixed(RawTensor(unchecked: shape, raws: raws, format: x.format))
      )
    }
  }

  func maxPool(
    _ prepared: PreparedNode, _ x: RawTensor, _ attributes: PoolAttributes?
  )
    throws(ExecutionError) -> NodeResult
  {
    let g = try Self.poolGeometry(
      x.shape, attributes, node: prepared.node.reference)
    let raws = IntegerKernels.maxPool(x.raws, g, concurrency: concurrency)
    return NodeResult(
      value: .fixed(
        RawTensor(
          unchecked: [g.batch, g.channels, g.outHeight, g.outWidth], raws: raws,
          format: x.format)))
  }

  /// Float islands (§5 Non-fixed-point ops, §12.3): dequantize exactly,
  /// compute in Double, output Float32, or re-quantize with `halfEven` and
  /// `saturate` when the node has a fixed-point output format.
  ///
  /// Under `nonlinear: integer` a node with an integer kernel and a fixed-point
  /// input runs ``integerFunction(_:_:_:)`` instead.
  func island(
    _ prepared: PreparedNode, _ operands: [TensorValue?], batchStart: Int
  )
    throws(ExecutionError) -> NodeResult
  {
    let node = prepared.node
    guard let first = operands.first ?? nil else {
      throw .missingTensor(name: "input 0", node: node.reference)
    }
    if prepared.layer.nonlinear == .integer, case .fixed(let raw) = first,
      let format = prepared.layer.output,
      let result = try integerFunction(
        prepared, raw, format, operands: operands)
    {
      return result
    }
    // Data movement into its input's own format moves raws exactly.
    if Self.movesData(node.op), case .fixed(let raw) = first,
      prepared.layer.output == raw.format
    {
      return try movedRaws(prepared, raw, operands)
    }
    let x: [Double]
    switch first {
    case .fixed(let tensor): x = tensor.dequantized()
    case .float(let tensor): x = tensor.values.map { Double($0) }
    }
    let shape = first.shape
    let values: [Double]
    switch node.op {
    case .softmax(let axis):
      values = FloatKernels.softmaxDouble(x, shape: shape, axis: axis)
    case .batchNormalization(let epsilon):
      var parameters: [[Float]] = []
      for index in 1...4 {
        guard index < operands.count, let value = operands[index] else {
          throw .missingTensor(name: "input \(index)", node: node.reference)
        }
        parameters.append(value.floatTensor.values)
      }
      values = FloatKernels.batchNormDouble(
        x, shape: shape, scale: parameters[0], bias: parameters[1],
        mean: parameters[2],
        variance: parameters[3], epsilon: epsilon)
    case .extended:
      // The float executor's kernels (Float32 operands, as onnxruntime).
      let floats = operands.map { $0?.floatTensor }
      let outputs = try FloatKernels.evaluateAll(
        node, floats, network: network)
      guard let result = outputs.first else {
        throw .missingTensor(name: "output 0", node: node.reference)
      }
      var combined = try requantized(
        prepared, shape: result.shape, values: result.values.map { Double($0) })
      // Every further output (LSTM's Y_h and Y_c, GRU's Y_h) in its own
      // format, or Float32 when it has none.
      for (index, output) in outputs.enumerated().dropFirst() {
        let name = index < node.outputs.count ? node.outputs[index] : ""
        let other = try requantized(
          prepared, shape: output.shape,
          values: output.values.map { Double($0) },
          to: name.isEmpty ? nil : precision.tensorFormats[name],
          name: name)
        combined.others.append(other.value)
        combined.events.output.merge(other.events.output)
      }
      return combined
    default:
      values = x.map {
        FloatKernels.activation(
          node.op, $0, lower: -.infinity, upper: .infinity)
      }
    }
    return try requantized(prepared, shape: shape, values: values)
  }

  /// An island's Double results as Float32, or re-quantized with `halfEven`
  /// and `saturate` to the node's fixed-point output format.
  func requantized(
    _ prepared: PreparedNode, shape: [Int], values: [Double]
  ) throws(ExecutionError) -> NodeResult {
    let node = prepared.node
    return try requantized(
      prepared, shape: shape, values: values, to: prepared.layer.output,
      name: node.outputs.first ?? node.name)
  }

  /// Double results as Float32 when `format` is `nil`, else re-quantized
  /// to it with `halfEven` and `saturate` (events counted as the node's
  /// output events); `name` names the tensor in errors.
  func requantized(
    _ prepared: PreparedNode, shape: [Int], values: [Double],
    to format: QFormat?,
    name: String
  ) throws(ExecutionError) -> NodeResult {
    guard let format else {
      return NodeResult(
        value: .float(
          FloatTensor(unchecked: shape, values: values.map { Float($0) })))
    }
    var raws = [Int64](repeating: 0, count: values.count)
    var events = NodeEvents()
    for (index, value) in values.enumerated() {
      if value.isNaN { throw .notANumber(tensor: name, index: index) }
      do {
        let (raw, event) = try FixedPoint.quantize(
          value, to: format, rounding: .halfEven, overflow: .saturate)
        raws[index] = raw
        events.output.record(event)
      } catch {
        throw .arithmetic(tensor: name, error: error)
      }
    }
    return NodeResult(
      value: .fixed(RawTensor(unchecked: shape, raws: raws, format: format)),
      events: events)
  }
}
