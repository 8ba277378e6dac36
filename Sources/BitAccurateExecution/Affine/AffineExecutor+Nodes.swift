import NetworkGraph

extension AffineExecutor {
  /// Evaluates one node that is not part of a fusion.
  // swift-format-ignore: FunctionLength
  func evaluate(_ node: Node, values: [String: AffineValue])
    throws(ExecutionError) -> AffineValue
  {
    switch node.op {
    case .extended(.quantizeLinear(let axis, let outputType)):
      return .integer(
        try quantize(node, axis: axis, outputType: outputType, values: values))
    case .extended(.dequantizeLinear(let axis)):
      return .float(try dequantize(node, axis: axis, values: values))
    case .extended(.qLinearConv(let attributes)):
      let x = try integer(0, of: node, values: values)
      let w = try integer(3, of: node, values: values)
      let xp = try parameters(node, 1, 2, for: x, axis: 1, perTensor: true)
      let wp = try parameters(node, 4, 5, for: w, axis: 0, perTensor: false)
      let yp = try parameters(node, 6, 7, for: nil, axis: 1, perTensor: true)
      let bias =
        node.input(8) == nil
        ? nil : try integer(8, of: node, values: values).values
      let acc = try AffineKernels.conv(
        x, xZero: xp.zeroPoint(0), weight: w, weightZero: { wp.zeroPoint($0) },
        bias: bias, attributes: attributes, node: node.reference)
      return .integer(
        AffineKernels.requantize(
          acc.values, shape: acc.shape, axis: 1,
          multipliers: multipliers(xp, wp, yp), output: yp))
    case .extended(.qLinearMatMul):
      let a = try integer(0, of: node, values: values)
      let b = try integer(3, of: node, values: values)
      let ap = try parameters(node, 1, 2, for: a, axis: 0, perTensor: true)
      let bp = try parameters(
        node, 4, 5, for: b, axis: b.shape.count - 1, perTensor: false)
      let yp = try parameters(node, 6, 7, for: nil, axis: 0, perTensor: true)
      let acc = try AffineKernels.matMul(
        a, aZero: ap.zeroPoint(0), b, bZero: { bp.zeroPoint($0) }, bias: nil,
        transposeB: false, node: node.reference)
      return .integer(
        AffineKernels.requantize(
          acc.values, shape: acc.shape, axis: acc.shape.count - 1,
          multipliers: multipliers(ap, bp, yp), output: yp))
    case .extended(.convInteger(let attributes)):
      let x = try integer(0, of: node, values: values)
      let w = try integer(1, of: node, values: values)
      let xZero = try zeroPoint(node, 2, for: x, axis: nil)
      let wZero = try zeroPoint(node, 3, for: w, axis: 0)
      let acc = try AffineKernels.conv(
        x, xZero: xZero.first ?? 0, weight: w,
        weightZero: { wZero.count == 1 ? wZero[0] : wZero[$0] }, bias: nil,
        attributes: attributes, node: node.reference)
      return .integer(int32(acc))
    case .extended(.matMulInteger):
      let a = try integer(0, of: node, values: values)
      let b = try integer(1, of: node, values: values)
      let aZero = try zeroPoint(node, 2, for: a, axis: nil)
      let bZero = try zeroPoint(node, 3, for: b, axis: b.shape.count - 1)
      let acc = try AffineKernels.matMul(
        a, aZero: aZero.first ?? 0, b,
        bZero: { bZero.count == 1 ? bZero[0] : bZero[$0] }, bias: nil,
        transposeB: false, node: node.reference)
      return .integer(int32(acc))
    case .extended(.cast(let to)):
      return try cast(node, to: to, values: values)
    default:
      return try other(node, values: values)
    }
  }

  private func int32(_ acc: (shape: [Int], values: [Int32])) -> IntegerTensor {
    IntegerTensor(
      shape: acc.shape, values: acc.values.map { Int64($0) },
      elementType: .int32)
  }

  /// The requantization multipliers of an input, weight and output.
  private func multipliers(
    _ x: AffineParameters, _ w: AffineParameters, _ y: AffineParameters
  ) -> [Float] {
    w.scales.map {
      AffineArithmetic.multiplier(
        inputScale: x.scale(0), weightScale: $0, outputScale: y.scale(0))
    }
  }

  /// The scale and zero point in inputs `scale`, `zero` for an operand.
  private func parameters(
    _ node: Node, _ scale: Int, _ zero: Int, for operand: IntegerTensor?,
    axis: Int, perTensor: Bool
  ) throws(ExecutionError) -> AffineParameters {
    let result = try AffineParameters.read(
      node, scaleInput: scale, zeroInput: zero, network: network,
      rank: operand?.shape.count, axis: axis,
      channels: { axis in
        operand.map { axis < $0.shape.count ? $0.shape[axis] : 0 }
      },
      defaultType: operand?.elementType,
      allowedTypes: operand.map { [$0.elementType] } ?? [.uint8, .int8])
    if perTensor, result.scales.count != 1 {
      throw .invalidQuantization(
        node: node.reference,
        message:
          "the scale '\(node.inputs[scale])' must be one value (per tensor)")
    }
    return result
  }

  /// The zero points of ConvInteger and MatMulInteger (0 when absent).
  private func zeroPoint(
    _ node: Node, _ index: Int, for operand: IntegerTensor, axis: Int?
  ) throws(ExecutionError) -> [Int64] {
    guard let name = node.input(index) else { return [0] }
    guard let constant = network.initializer(named: name),
      let values = constant.integerValues, !values.isEmpty
    else {
      throw .invalidQuantization(
        node: node.reference,
        message: "the zero point '\(name)' must be an integer constant")
    }
    guard constant.elementType == operand.elementType else {
      throw .invalidQuantization(
        node: node.reference,
        message:
          "the zero point '\(name)' is \(constant.elementType) but its operand is \(operand.elementType)"
      )
    }
    if values.count > 1 {
      guard let axis, axis < operand.shape.count,
        operand.shape[axis] == values.count
      else {
        throw .invalidQuantization(
          node: node.reference,
          message:
            "the zero point '\(name)' has \(values.count) values, which fit no axis of \(operand.shape)"
        )
      }
    }
    return values
  }

  private func quantize(
    _ node: Node, axis: Int, outputType: ElementType?,
    values: [String: AffineValue]
  ) throws(ExecutionError) -> IntegerTensor {
    guard case .float(let x) = try operand(0, of: node, values: values) else {
      throw .invalidQuantization(
        node: node.reference, message: "QuantizeLinear reads a float tensor")
    }
    let p = try AffineParameters.read(
      node, scaleInput: 1, zeroInput: 2, network: network,
      rank: x.shape.count, axis: axis,
      channels: { $0 < x.shape.count ? x.shape[$0] : nil },
      defaultType: outputType ?? .uint8,
      allowedTypes: [.uint8, .int8, .int16])
    if let outputType, outputType != p.elementType {
      throw .invalidQuantization(
        node: node.reference,
        message:
          "output_dtype \(outputType) differs from the zero point's \(p.elementType)"
      )
    }
    let (inner, channels) = layout(x.shape, p.axis)
    let range = p.range
    var out = [Int64](repeating: 0, count: x.values.count)
    for (index, value) in x.values.enumerated() {
      if value.isNaN {
        throw .notANumber(tensor: node.inputs[0], index: index)
      }
      let c = p.scales.count == 1 ? 0 : (index / inner) % channels
      out[index] = AffineArithmetic.quantize(
        value, scale: p.scale(c), zeroPoint: p.zeroPoint(c), range: range)
    }
    return IntegerTensor(
      shape: x.shape, values: out, elementType: p.elementType)
  }

  private func dequantize(
    _ node: Node, axis: Int, values: [String: AffineValue]
  ) throws(ExecutionError) -> FloatTensor {
    let x = try integer(0, of: node, values: values)
    let p = try AffineParameters.read(
      node, scaleInput: 1, zeroInput: 2, network: network,
      rank: x.shape.count, axis: axis,
      channels: { $0 < x.shape.count ? x.shape[$0] : nil },
      defaultType: x.elementType, allowedTypes: [x.elementType])
    let (inner, channels) = layout(x.shape, p.axis)
    var out = [Float](repeating: 0, count: x.values.count)
    for (index, value) in x.values.enumerated() {
      let c = p.scales.count == 1 ? 0 : (index / inner) % channels
      out[index] = AffineArithmetic.dequantize(
        value, scale: p.scale(c), zeroPoint: p.zeroPoint(c))
    }
    return FloatTensor(unchecked: x.shape, values: out)
  }

  /// The inner stride and channel count of `axis` (1, 1 without one).
  private func layout(_ shape: [Int], _ axis: Int?) -> (Int, Int) {
    guard let axis, axis < shape.count else { return (1, 1) }
    return (shape[(axis + 1)...].reduce(1, *), max(shape[axis], 1))
  }

  /// Cast between integer and float tensors: to float exactly, to an
  /// integer type by truncation toward zero with saturation.
  private func cast(
    _ node: Node, to: ElementType, values: [String: AffineValue]
  ) throws(ExecutionError) -> AffineValue {
    guard let x = try operand(0, of: node, values: values) else {
      throw .missingTensor(name: "input 0", node: node.reference)
    }
    if to.isFloatingPoint { return .float(x.floatTensor) }
    guard let range = AffineArithmetic.range(of: to) else {
      throw .unsupported(
        node: node.reference, message: "Cast to \(to) is not executed")
    }
    switch x {
    case .integer(let tensor):
      return .integer(
        IntegerTensor(
          shape: tensor.shape,
          values: tensor.values.map { AffineArithmetic.saturate($0, range) },
          elementType: to))
    case .float(let tensor):
      var out = [Int64](repeating: 0, count: tensor.values.count)
      for (index, value) in tensor.values.enumerated() {
        if value.isNaN {
          throw .notANumber(tensor: node.inputs[0], index: index)
        }
        let truncated = value.rounded(.towardZero)
        out[index] =
          truncated >= Float(range.upperBound)
          ? range.upperBound
          : truncated <= Float(range.lowerBound)
            ? range.lowerBound : Int64(truncated)
      }
      return .integer(
        IntegerTensor(shape: tensor.shape, values: out, elementType: to))
    }
  }

  /// A standard operator: on floats by the float reference kernels; on
  /// integers only when it moves or selects values (the integers are moved
  /// exactly).
  private func other(_ node: Node, values: [String: AffineValue])
    throws(ExecutionError) -> AffineValue
  {
    var operands: [FloatTensor?] = []
    var integerType: ElementType?
    var floatData = false
    // The data inputs: every input of Concat, input 0 of the rest (a
    // Reshape's shape is metadata, not data).
    var isConcat = false
    if case .concat = node.op { isConcat = true }
    for index in node.inputs.indices {
      let value = try operand(index, of: node, values: values)
      let isData = index == 0 || isConcat
      switch value {
      case .integer(let tensor) where isData:
        integerType = integerType ?? tensor.elementType
        if tensor.values.contains(where: { abs($0) > 1 << 24 }) {
          throw .unsupported(
            node: node.reference,
            message:
              "\(node.op.opType) on integers beyond 2^24 is not executed")
        }
      case .float where isData: floatData = true
      default: break
      }
      operands.append(value?.floatTensor)
    }
    if integerType != nil, floatData {
      throw .unsupported(
        node: node.reference,
        message:
          "\(node.op.opType) mixes integer and float tensors; quantize or dequantize them first"
      )
    }
    if let integerType, !isMovement(node.op) {
      throw .unsupported(
        node: node.reference,
        message:
          "\(node.op.opType) on \(integerType) tensors is not executed; only data movement and pooling by maximum run on integers"
      )
    }
    let result = try FloatKernels.evaluate(
      node, operands, network: network, concurrency: 1)
    guard let integerType else { return .float(result) }
    // Moved integers below 2^24 come back exact; a window of padding only
    // (−∞) has no integer and is refused rather than invented.
    var integers = [Int64](repeating: 0, count: result.values.count)
    for (index, value) in result.values.enumerated() {
      guard let exact = Int64(exactly: value) else {
        throw .unsupported(
          node: node.reference,
          message:
            "\(node.op.opType) produced \(value) at index \(index), which no \(integerType) holds"
        )
      }
      integers[index] = exact
    }
    return .integer(
      IntegerTensor(
        shape: result.shape, values: integers, elementType: integerType))
  }

  /// Operators that only move or select values, so that they run on
  /// integers exactly.
  private func isMovement(_ op: Operator) -> Bool {
    switch op {
    case .maxPool, .globalMaxPool, .flatten, .reshape, .identity, .dropout,
      .transpose, .squeeze, .unsqueeze, .concat:
      true
    default: false
    }
  }
}
