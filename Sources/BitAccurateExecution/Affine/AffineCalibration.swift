import NetworkGraph

/// Affine post-training quantization by min/max calibration, as
/// onnxruntime's `quantize_static` does it with `CalibrationMethod.MinMax`
/// (`Documentation/Quantization.md`, "Affine integers", A5): activations
/// asymmetric (uint8 or int8) from the range each tensor takes over the
/// calibration samples, widened to hold 0; weights symmetric int8 in
/// [−127, 127], per output channel or per tensor; biases int32 with scale
/// `s_x · s_w`.
public enum AffineCalibration {
  /// What to quantize and how.
  public struct Options: Hashable, Sendable {
    /// Weight scales per output channel (else one per tensor).
    public var perChannel: Bool
    /// The activations' type: uint8 or int8.
    public var activationType: ElementType

    /// Creates options.
    public init(perChannel: Bool, activationType: ElementType) {
      self.perChannel = perChannel
      self.activationType = activationType
    }
  }

  /// Asymmetric parameters of the range [lo, hi] (widened to hold 0).
  public static func activation(
    min lo: Float, max hi: Float, type: ElementType
  ) -> QDQPlan.Activation {
    let range = AffineArithmetic.range(of: type) ?? 0...255
    let low = Swift.min(lo, 0)
    let high = Swift.max(hi, 0)
    let steps = Double(range.upperBound - range.lowerBound)
    var scale = Float((Double(high) - Double(low)) / steps)
    if !(scale > 0) || !scale.isFinite { scale = 1 }
    let zero = (Float(range.lowerBound) - low / scale).rounded(
      .toNearestOrEven)
    let bounded = Swift.min(
      Swift.max(zero, Float(range.lowerBound)), Float(range.upperBound))
    return QDQPlan.Activation(
      scale: scale,
      zeroPoint: bounded.isNaN ? range.lowerBound : Int64(bounded),
      elementType: type)
  }

  /// Symmetric int8 weights in [−127, 127]: scale `max|w| / 127` per
  /// channel of `axis` (or over the tensor), integers rounded half to even.
  public static func weights(
    _ values: [Float], shape: [Int], axis: Int?
  ) -> (values: [Int64], scales: [Float]) {
    let channels = axis.map { shape[$0] } ?? 1
    let inner = axis.map { shape[($0 + 1)...].reduce(1, *) } ?? values.count
    func channel(_ index: Int) -> Int {
      axis == nil ? 0 : (index / inner) % channels
    }
    var largest = [Float](repeating: 0, count: channels)
    for (index, value) in values.enumerated() {
      largest[channel(index)] = Swift.max(largest[channel(index)], abs(value))
    }
    let scales = largest.map { $0 > 0 ? $0 / 127 : 1 }
    let integers = values.enumerated().map { index, value in
      AffineArithmetic.quantize(
        value, scale: scales[channel(index)], zeroPoint: 0, range: -127...127)
    }
    return (integers, scales)
  }

  /// The plan for `network` from the float run over `samples`.
  ///
  /// Quantized activations: the graph input and every float node output,
  /// except a Conv, Gemm or MatMul output read only by a Relu (the Relu's
  /// output is quantized instead, so the integer kernel absorbs it). Data
  /// movement (MaxPool, Flatten, Reshape, Transpose, Squeeze, Unsqueeze,
  /// Identity, Dropout) keeps its input's parameters. Quantized constants:
  /// the float weight (input 1) and bias (input 2) initializers of Conv,
  /// Gemm and MatMul.
  ///
  /// - Throws: ``ExecutionError`` from the float run (an operator it does
  ///   not execute, a bad shape).
  public static func plan(
    network: Network, samples: FloatTensor, options: Options,
    concurrency: Int
  ) throws(ExecutionError) -> QDQPlan {
    let executor = try FloatExecutor(
      network: network, concurrency: concurrency)
    let run = try executor.run(input: samples)
    let sorted = executor.network
    guard
      let input = sorted.inputs.first(where: {
        sorted.initializer(named: $0.name) == nil
      })
    else { throw .invalidInput(message: "the network has no input") }
    var readers: [String: [Node]] = [:]
    for node in sorted.nodes {
      for name in node.inputs where !name.isEmpty {
        readers[name, default: []].append(node)
      }
    }
    let outputs = Set(sorted.outputs)
    func range(_ tensor: FloatTensor) -> QDQPlan.Activation {
      let finite = tensor.values.filter(\.isFinite)
      return activation(
        min: finite.min() ?? 0, max: finite.max() ?? 0,
        type: options.activationType)
    }
    var activations: [String: QDQPlan.Activation] = [
      input.name: range(samples)
    ]
    var constants: [QDQPlan.Constant] = []
    for node in sorted.nodes {
      guard let name = node.outputs.first, let tensor = run.tensors[name]
      else { continue }
      switch node.op {
      case .maxPool, .globalMaxPool, .flatten, .reshape, .transpose, .squeeze,
        .unsqueeze, .identity, .dropout:
        if let source = node.input(0), let parameters = activations[source] {
          activations[name] = parameters
          continue
        }
      case .conv, .gemm, .matMul:
        let onlyRelu =
          readers[name]?.count == 1 && !outputs.contains(name)
          && readers[name]?.first.map {
            if case .relu = $0.op { true } else { false }
          }
            == true
        try constantsOf(
          node, network: sorted, activations: activations, options: options,
          into: &constants)
        if onlyRelu { continue }
      default: break
      }
      activations[name] = range(tensor)
    }
    return QDQPlan(activations: activations, constants: constants)
  }

  /// The weight and bias of a Conv, Gemm or MatMul, when float constants.
  private static func constantsOf(
    _ node: Node, network: Network,
    activations: [String: QDQPlan.Activation], options: Options,
    into constants: inout [QDQPlan.Constant]
  ) throws(ExecutionError) {
    guard let weightName = node.input(1),
      let weight = network.initializer(named: weightName),
      weight.elementType == .float32, let values = weight.floatValues,
      let x = node.input(0).flatMap({ activations[$0] })
    else { return }
    let shape = weight.shape.dims
    let axis: Int
    switch node.op {
    case .conv: axis = 0
    case .gemm(let attributes): axis = attributes.transB ? 0 : 1
    default: axis = shape.count - 1
    }
    guard shape.count >= 2 else { return }
    let (integers, scales) = weights(
      values, shape: shape, axis: options.perChannel ? axis : nil)
    constants.append(
      QDQPlan.Constant(
        node: node.name, input: 1, values: integers, shape: shape,
        elementType: .int8, scales: scales,
        axis: options.perChannel ? axis : nil))
    guard let biasName = node.input(2),
      let bias = network.initializer(named: biasName),
      bias.elementType == .float32, let biasValues = bias.floatValues,
      biasValues.count == shape[axis] || scales.count == 1
    else { return }
    let biasScales = scales.map { x.scale * $0 }
    let range = AffineArithmetic.range(of: .int32) ?? 0...0
    let biasIntegers = biasValues.enumerated().map { index, value in
      AffineArithmetic.quantize(
        value, scale: biasScales.count == 1 ? biasScales[0] : biasScales[index],
        zeroPoint: 0, range: range)
    }
    constants.append(
      QDQPlan.Constant(
        node: node.name, input: 2, values: biasIntegers,
        shape: bias.shape.dims, elementType: .int32, scales: biasScales,
        axis: biasScales.count == 1 ? nil : 0))
  }
}
