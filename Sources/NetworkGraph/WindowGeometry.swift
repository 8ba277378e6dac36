/// The resolved geometry of a sliding window (convolution or pooling) along
/// every spatial axis: output sizes and the actual begin and end pads.
///
/// Shape inference, the simulator and the executor all use this one
/// resolution, so `auto_pad` and `ceil_mode` are interpreted in one place.
///
/// Formulas (ONNX Conv-11 and MaxPool-22 / AveragePool-22, "output spatial
/// shape"), with `effective = dilation·(kernel − 1) + 1`:
/// - `NOTSET`: `floor((in + begin + end − effective) / stride) + 1`, or with
///   `ceil_mode` the `ceil` of the same quotient plus one, minus one when the
///   last window would start in the end padding (`(out − 1)·stride ≥
///   in + begin`).
/// - `VALID`: no pads, `floor((in − effective) / stride) + 1`.
/// - `SAME_UPPER` / `SAME_LOWER`: `out = ceil(in / stride)`, total pad
///   `max(0, (out − 1)·stride + effective − in)` split with the odd extra at
///   the end (upper) or the beginning (lower).
public struct WindowGeometry: Hashable, Sendable {
  /// The window's spatial shape.
  public var kernel: [Int]
  /// The stride along each spatial axis.
  public var strides: [Int]
  /// The dilation along each spatial axis.
  public var dilations: [Int]
  /// The padding before each spatial axis (top, left for 2-D).
  public var padsBegin: [Int]
  /// The padding after each spatial axis (bottom, right for 2-D).
  public var padsEnd: [Int]
  /// The output size along each spatial axis (each at least 1).
  public var outputSize: [Int]

  /// Resolves the geometry for an input's spatial sizes.
  ///
  /// - Parameters:
  ///   - inputSize: The input's spatial sizes (`[H, W]` for 2-D).
  ///   - kernel: The window's spatial shape.
  ///   - strides: Strides, or `nil` for ones.
  ///   - dilations: Dilations, or `nil` for ones.
  ///   - pads: Begin pads then end pads, or `nil` for zeros.
  ///   - autoPad: The padding mode.
  ///   - ceilMode: Whether to round output sizes up (pooling only).
  ///   - node: The node, named in errors.
  /// - Returns: The geometry with every list filled and the output size.
  /// - Throws: ``NetworkError/invalidAttribute(node:message:)`` for lists of
  ///   the wrong length or non-positive kernels, strides or dilations, and
  ///   ``NetworkError/shapeMismatch(node:message:)`` when the window does not
  ///   fit the padded input (a non-positive output size).
  public static func resolve(
    inputSize: [Int], kernel: [Int], strides: [Int]?, dilations: [Int]?,
    pads: [Int]?, autoPad: AutoPad, ceilMode: Bool, node: NodeReference
  ) throws(NetworkError) -> WindowGeometry {
    let rank = inputSize.count
    func list(
      _ values: [Int]?, _ name: String, count: Int, default value: Int,
      minimum: Int
    )
      throws(NetworkError) -> [Int]
    {
      let values = values ?? Array(repeating: value, count: count)
      guard values.count == count else {
        throw .invalidAttribute(
          node: node,
          message: "'\(name)' has \(values.count) values but the input has "
            + "\(rank) spatial axes (expected \(count))")
      }
      if let bad = values.first(where: { $0 < minimum }) {
        throw .invalidAttribute(
          node: node,
          message: "'\(name)' value \(bad) must be at least \(minimum)")
      }
      return values
    }
    let kernel = try list(
      kernel, "kernel_shape", count: rank, default: 1, minimum: 1)
    let strides = try list(
      strides, "strides", count: rank, default: 1, minimum: 1)
    let dilations = try list(
      dilations, "dilations", count: rank, default: 1, minimum: 1)
    let explicitPads = try list(
      pads, "pads", count: 2 * rank, default: 0, minimum: 0)

    var geometry = WindowGeometry(
      kernel: kernel, strides: strides, dilations: dilations,
      padsBegin: [], padsEnd: [], outputSize: [])
    for axis in 0..<rank {
      let input = inputSize[axis]
      // The message is built only on overflow.
      let effective = try Checked.add(
        try Checked.multiply(
          dilations[axis], kernel[axis] - 1,
          "the dilated kernel along spatial axis \(axis)", node: node), 1,
        "the dilated kernel along spatial axis \(axis)", node: node)
      var begin = 0
      var end = 0
      var output: Int
      switch autoPad {
      case .notSet:
        begin = explicitPads[axis]
        end = explicitPads[axis + rank]
        let padded = try Checked.add(
          try Checked.add(input, begin, "the padded input", node: node), end,
          "the padded input", node: node)
        let span = padded - effective
        guard span >= 0 else {
          throw tooLarge(node, axis, input, begin, end, kernel[axis], effective)
        }
        if ceilMode {
          output = (span + strides[axis] - 1) / strides[axis] + 1
          if (output - 1) * strides[axis] >= input + begin { output -= 1 }
        } else {
          output = span / strides[axis] + 1
        }
      case .valid:
        let span = input - effective
        guard span >= 0 else {
          throw tooLarge(node, axis, input, 0, 0, kernel[axis], effective)
        }
        output = span / strides[axis] + 1
      case .sameUpper, .sameLower:
        output = input / strides[axis] + (input % strides[axis] == 0 ? 0 : 1)
        let needed = try Checked.add(
          try Checked.multiply(
            max(0, output - 1), strides[axis], "SAME padding", node: node),
          effective, "SAME padding", node: node)
        let total = max(0, needed - input)
        if autoPad == .sameUpper {
          begin = total / 2
          end = total - begin
        } else {
          end = total / 2
          begin = total - end
        }
      }
      guard output >= 1 else {
        throw tooLarge(node, axis, input, begin, end, kernel[axis], effective)
      }
      geometry.padsBegin.append(begin)
      geometry.padsEnd.append(end)
      geometry.outputSize.append(output)
    }
    return geometry
  }

  private static func tooLarge(
    _ node: NodeReference, _ axis: Int, _ input: Int, _ begin: Int, _ end: Int,
    _ kernel: Int, _ effective: Int
  ) -> NetworkError {
    .shapeMismatch(
      node: node,
      message:
        "kernel \(kernel) (dilated extent \(effective)) is larger than the "
        + "padded input \(input) + \(begin) + \(end) along spatial axis \(axis); "
        + "the output size would not be positive")
  }
}
