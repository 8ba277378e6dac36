import FixedPointArithmetic
import NetworkGraph
import PrecisionModel

/// One node ready for fixed-point execution: its resolved precision, its
/// constants quantized (§12.1: `halfEven` and the storage policy) and its
/// bias placed on the accumulator grid (§5 Bias).
struct PreparedNode: Sendable {
  var node: Node
  var layer: ResolvedLayer
  /// Quantized constant operands by input position (Gemm's B already
  /// transposed to [K, N] and scaled by alpha).
  var constants: [Int: RawTensor] = [:]
  /// The constants' float values, for statistics.
  var constantFloats: [Int: [Float]] = [:]
  /// Weight quantization events.
  var weightEvents = OverflowCounts()
  /// Nonzero weights that became raw 0.
  var weightUnderflows = 0
  /// The bias as initial accumulator values (after alignment), with its
  /// shape; `nil` when the node has no bias.
  var bias: [Int64]?
  var biasShape: [Int] = []
  /// The bias as stored (its own format) before alignment, for statistics.
  var biasStored: RawTensor?
  var biasFloats: [Float] = []
  var biasEvents = OverflowCounts()
  var biasUnderflows = 0
  /// Whether Gemm's B constant was transposed at preparation.
  var pretransposed = false
  /// Whether ReLU is applied to the accumulator before a stochastic
  /// rounding (§5 ReLU).
  var rectify = false
  /// The weights for the Int16 kernels when every raw fits Int16 and the
  /// exact sum fits Int32 (§5 bound): rows of a convolution's weights, or
  /// of Bᵀ for a constant B of Gemm and MatMul.
  var dotWeights: DotWeights?
  /// The output's stochastic stream (§7).
  var stream: StochasticStream

  init(
    node: Node, layer: ResolvedLayer, network: Network,
    formats: [String: QFormat],
    rectify: Bool, seed: UInt64
  ) throws(ExecutionError) {
    self.node = node
    self.layer = layer
    self.rectify = rectify
    self.stream = StochasticStream(
      seed: seed, tensorName: node.outputs.first ?? node.name)
    guard layer.kind == .computing else { return }
    let biasIndex: Int? =
      switch node.op {
      case .conv, .gemm: 2
      default: nil
      }
    var gemm: GemmAttributes?
    if case .gemm(let attributes) = node.op { gemm = attributes }
    for index in NodeKind.dataInputs(of: node) where index != biasIndex {
      guard let tensor = network.initializer(named: node.inputs[index]) else {
        continue
      }
      guard let format = layer.weight else {
        throw .unsupported(
          node: node.reference,
          message: "constant operand without a weight format")
      }
      guard var floats = tensor.floatValues else {
        throw .missingData(tensor: tensor.name)
      }
      var shape = tensor.shape.dims
      if let gemm, index == 1 {
        if gemm.alpha != 1 { floats = floats.map { $0 * gemm.alpha } }
        if gemm.transB, shape.count == 2 {
          floats =
            FloatKernels.transposed(
              FloatTensor(unchecked: shape, values: floats)
            ).values
          shape = [shape[1], shape[0]]
          pretransposed = true
        }
      }
      let quantized = try Self.quantize(
        floats, name: tensor.name, format: format, rounding: .halfEven,
        overflow: layer.weightOverflow)
      weightEvents.merge(quantized.events)
      weightUnderflows += quantized.underflows
      constants[index] = RawTensor(
        unchecked: shape, raws: quantized.raws, format: format)
      constantFloats[index] = floats
    }
    if let gemm, gemm.alpha != 1, constants[1] == nil {
      throw .unsupported(
        node: node.reference, message: "Gemm alpha ≠ 1 needs a constant B")
    }
    if let biasIndex, biasIndex < node.inputs.count,
      !node.inputs[biasIndex].isEmpty
    {
      try prepareBias(
        network.initializer(named: node.inputs[biasIndex]),
        name: node.inputs[biasIndex],
        scale: gemm?.beta ?? 1, seed: seed)
    }
    if layer.accumulator != nil, layer.accumulatorPolicy != .saturateEachStep,
      let weight = constants[1], let x = formats[node.inputs[0]],
      let terms = layer.terms,
      DotWeights.applies(weight: weight.format, input: x, terms: terms)
    {
      switch node.op {
      case .conv:
        if weight.shape.count == 4,
          weight.raws.count == weight.shape.reduce(1, *)
        {
          dotWeights = DotWeights(
            convolution: weight.raws, rows: weight.shape[0],
            channels: weight.shape[1],
            kernelHeight: weight.shape[2], kernelWidth: weight.shape[3])
        }
      case .gemm, .matMul:
        if weight.shape.count == 2 {
          let (k, n) = (weight.shape[0], weight.shape[1])
          dotWeights = DotWeights(
            raws: IntegerKernels.transposed(weight.raws, rows: k, cols: n),
            rows: n, depth: k)
        }
      default:
        break
      }
    }
  }

  mutating func prepareBias(
    _ tensor: Tensor?, name: String, scale: Float, seed: UInt64
  ) throws(ExecutionError) {
    guard let tensor else {
      throw .unsupported(
        node: node.reference, message: "the bias '\(name)' must be a constant")
    }
    guard var floats = tensor.floatValues else {
      throw .missingData(tensor: name)
    }
    if scale != 1 { floats = floats.map { $0 * scale } }
    guard let accumulator = layer.accumulator else { return }
    biasFloats = floats
    biasShape = tensor.shape.dims
    switch layer.bias {
    case .accumulatorGrid:
      let quantized = try Self.quantize(
        floats, name: name, format: accumulator, rounding: .halfEven,
        overflow: .saturate)
      biasEvents.merge(quantized.events)
      biasUnderflows = quantized.underflows
      bias = quantized.raws
    case .own(let format, let overflow):
      let quantized = try Self.quantize(
        floats, name: name, format: format, rounding: .halfEven,
        overflow: overflow)
      biasEvents.merge(quantized.events)
      biasUnderflows = quantized.underflows
      biasStored = RawTensor(
        unchecked: biasShape, raws: quantized.raws, format: format)
      let stream = StochasticStream(seed: seed, tensorName: name)
      var aligned: [Int64] = []
      for (index, raw) in quantized.raws.enumerated() {
        let sample =
          layer.rounding == .stochastic ? stream.sample(at: index) : .zero
        let (value, event) = FixedPoint.alignBias(
          raw, fromFractionalLength: format.fractionalLength, to: accumulator,
          rounding: layer.rounding, sample: sample)
        biasEvents.record(event)
        aligned.append(value)
      }
      bias = aligned
    }
  }

  /// Quantizes float values (§4), counting events and underflows to zero.
  static func quantize(
    _ values: [Float], name: String, format: QFormat, rounding: RoundingMode,
    overflow: OverflowPolicy
  ) throws(ExecutionError) -> (
    raws: [Int64], events: OverflowCounts, underflows: Int
  ) {
    if rounding == .halfEven, overflow == .saturate, format.bits <= 53,
      (-100...100).contains(format.fractionalLength)
    {
      return try quantizeNearestEven(values, name: name, format: format)
    }
    var raws = [Int64](repeating: 0, count: values.count)
    var events = OverflowCounts()
    var underflows = 0
    for (index, value) in values.enumerated() {
      if value.isNaN { throw .notANumber(tensor: name, index: index) }
      do {
        let (raw, event) = try FixedPoint.quantize(
          value, to: format, rounding: rounding, overflow: overflow)
        raws[index] = raw
        events.record(event)
        if raw == 0 && value != 0 { underflows += 1 }
      } catch {
        throw .arithmetic(tensor: name, error: error)
      }
    }
    return (raws, events, underflows)
  }

  /// ``quantize(_:name:format:rounding:overflow:)`` for `halfEven` and
  /// `saturate` (the input's §11 rule) in a format of at most 53 bits with
  /// |fl| ≤ 100: the same raws, events and underflows by Double arithmetic.
  ///
  /// A Float widened to Double and scaled by 2^fl is exact there (no
  /// overflow, no subnormal), so rounding it to the nearest integer, ties to
  /// even, is exactly §4's halfEven; every raw bound is exact in Double.
  static func quantizeNearestEven(
    _ values: [Float], name: String, format: QFormat
  ) throws(ExecutionError) -> (
    raws: [Int64], events: OverflowCounts, underflows: Int
  ) {
    if let index = values.firstIndex(where: \.isNaN) {
      throw .notANumber(tensor: name, index: index)
    }
    let scale = Double(
      sign: .plus, exponent: format.fractionalLength, significand: 1)
    let (low, high) = (format.rawMin, format.rawMax)
    let (lowBound, highBound) = (Double(low), Double(high))
    var positive = 0
    var negative = 0
    var underflows = 0
    let raws = values.withUnsafeBufferPointer { source in
      [Int64].filled(source.count) { target in
        for index in 0..<source.count {
          let value = source[index]
          let exact = Double(value) * scale
          // Adding and taking away 2^52 (with the sign of the value) rounds
          // to an integer, ties to even, in the default rounding mode, with
          // no call into libm; beyond 2^52 every Double is an integer.
          let magic = exact < 0 ? -0x1p52 : 0x1p52
          let y = abs(exact) < 0x1p52 ? (exact + magic) - magic : exact
          let raw: Int64
          if y > highBound {
            raw = high
            positive &+= 1
          } else if y < lowBound {
            raw = low
            negative &+= 1
          } else {
            raw = Int64(y)
          }
          underflows &+= raw == 0 && value != 0 ? 1 : 0
          target[index] = raw
        }
      }
    }
    return (
      raws, OverflowCounts(positive: positive, negative: negative), underflows
    )
  }
}
