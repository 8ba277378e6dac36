import NetworkGraph

/// The scale and zero point of one quantized operand, read from a node's
/// constant inputs and checked: per tensor (one of each) or per channel
/// (one per index of `axis`).
public struct AffineParameters: Hashable, Sendable {
  /// The scales (float32, finite, > 0): one, or one per channel.
  public var scales: [Float]
  /// The zero points, as many as the scales.
  public var zeroPoints: [Int64]
  /// The integer type of the quantized operand (the zero point's type).
  public var elementType: ElementType
  /// The channel axis (non-negative) when per channel.
  public var axis: Int?

  /// The saturation range of ``elementType``.
  public var range: ClosedRange<Int64> {
    AffineArithmetic.range(of: elementType) ?? 0...0
  }

  /// The scale and zero point of channel `channel` (the only ones when
  /// per tensor).
  @inline(__always)
  func scale(_ channel: Int) -> Float {
    scales.count == 1 ? scales[0] : scales[channel]
  }

  @inline(__always)
  func zeroPoint(_ channel: Int) -> Int64 {
    zeroPoints.count == 1 ? zeroPoints[0] : zeroPoints[channel]
  }

  /// Reads and checks the scale and optional zero point of one operand.
  ///
  /// - Parameters:
  ///   - node: The node whose constant inputs hold them (errors name it).
  ///   - scaleInput: The position of the scale.
  ///   - zeroInput: The position of the zero point, if the operator has one.
  ///   - network: The network holding the constants.
  ///   - rank: The operand's rank, when known.
  ///   - axis: The operator's channel axis (used only per channel).
  ///   - channels: The operand's size along an axis, when known.
  ///   - defaultType: The type when the zero point is absent (uint8 for
  ///     QuantizeLinear) or `nil` when it must be present to know it.
  ///   - allowedTypes: The zero point's permitted types.
  /// - Returns: The checked parameters.
  /// - Throws: ``ExecutionError/invalidQuantization(node:message:)``, naming
  ///   the node, for a missing or non-constant scale, a scale ≤ 0 or not
  ///   finite, a zero point of a non-integer type or out of its range, a
  ///   count that fits neither one nor the channels, or an axis out of
  ///   range.
  static func read(
    _ node: Node, scaleInput: Int, zeroInput: Int?, network: Network,
    rank: Int?, axis: Int, channels: (Int) -> Int?,
    defaultType: ElementType?, allowedTypes: Set<ElementType>
  ) throws(ExecutionError) -> AffineParameters {
    func fail(_ message: String) -> ExecutionError {
      .invalidQuantization(node: node.reference, message: message)
    }
    guard scaleInput < node.inputs.count, !node.inputs[scaleInput].isEmpty
    else { throw fail("the scale (input \(scaleInput)) is missing") }
    let scaleName = node.inputs[scaleInput]
    guard let scaleTensor = network.initializer(named: scaleName) else {
      throw fail(
        "the scale '\(scaleName)' is not a constant; affine execution needs constant scales"
      )
    }
    guard scaleTensor.elementType == .float32,
      let scales = scaleTensor.floatValues, !scales.isEmpty
    else {
      throw fail(
        "the scale '\(scaleName)' must be a float32 constant, not \(scaleTensor.elementType)"
      )
    }
    if let bad = scales.first(where: { !($0.isFinite && $0 > 0) }) {
      throw fail(
        "the scale '\(scaleName)' holds \(bad); scales must be finite and greater than 0"
      )
    }
    var zeroPoints: [Int64] = Array(repeating: 0, count: scales.count)
    var elementType = defaultType
    if let zeroInput, zeroInput < node.inputs.count,
      !node.inputs[zeroInput].isEmpty
    {
      let zeroName = node.inputs[zeroInput]
      guard let zeroTensor = network.initializer(named: zeroName) else {
        throw fail(
          "the zero point '\(zeroName)' is not a constant; affine execution needs constant zero points"
        )
      }
      guard allowedTypes.contains(zeroTensor.elementType),
        let values = zeroTensor.integerValues
      else {
        let names = allowedTypes.map(\.description).sorted().joined(
          separator: " or ")
        throw fail(
          "the zero point '\(zeroName)' is \(zeroTensor.elementType); it must be \(names)"
        )
      }
      // QLinearConv and QLinearMatMul allow one zero point for per-channel
      // scales.
      guard values.count == scales.count || values.count == 1 else {
        throw fail(
          "the zero point '\(zeroName)' has \(values.count) values but the scale '\(scaleName)' has \(scales.count)"
        )
      }
      let range = AffineArithmetic.range(of: zeroTensor.elementType) ?? 0...0
      if let bad = values.first(where: { !range.contains($0) }) {
        throw fail(
          "the zero point '\(zeroName)' holds \(bad), outside \(zeroTensor.elementType)"
        )
      }
      zeroPoints =
        values.count == scales.count
        ? values : Array(repeating: values[0], count: scales.count)
      elementType = zeroTensor.elementType
    }
    guard let elementType else {
      throw fail("the zero point (input \(zeroInput ?? 0)) is missing")
    }
    var resolvedAxis: Int?
    // The axis matters (and is checked) only per channel: ONNX ignores it
    // for one scale, and onnxruntime's quantizer writes axis 1 on per-tensor
    // biases.
    if scales.count > 1 {
      if let rank {
        guard (-rank..<rank).contains(axis) else {
          throw fail("axis \(axis) is out of range for rank \(rank)")
        }
        let positive = axis < 0 ? axis + rank : axis
        if scales.count > 1 {
          guard let count = channels(positive), count == scales.count else {
            throw fail(
              "the scale '\(scaleName)' has \(scales.count) values but axis \(positive) has \(channels(positive).map(String.init) ?? "an unknown number of") channels"
            )
          }
          resolvedAxis = positive
        }
      }
    }
    if scales.count > 1, resolvedAxis == nil {
      throw fail(
        "per-channel scale '\(scaleName)' on an operand of unknown rank")
    }
    return AffineParameters(
      scales: scales, zeroPoints: zeroPoints, elementType: elementType,
      axis: resolvedAxis)
  }
}
