import BitAccurateExecution
import Foundation
import ONNXImport
import TestSupport
import Testing

/// `edgesim run` (the float executor) on depthwise convolutions, which take
/// the direct kernels (issue #19; along rows, or along the whole plane for a
/// column stride or rows narrower than 8): the output's bits equal the float
/// executor's contract (Documentation/FloatExecution.md) computed here from
/// the definition — each output starts from its bias (+0 without one) and
/// adds w[i][j] · x, the product rounded then added, i then j ascending,
/// with x = +0 on padding — on every kernel path this CPU has.
@Suite struct DepthwiseFloatRunTests {
  /// Four depthwise convolutions in a chain, `x [3, 4, 13, 16]`:
  /// MobileNetV2's 3×3 stride 1 and stride 2 (pads 1; 13 × 16 along rows,
  /// then 7 × 8 along the plane), a 3×3 stride 1 giving 7 × 6 (along the
  /// plane), then a 5×5 with stride 2, dilation 2, uneven pads, two outputs
  /// per channel and no bias.
  struct Layer {
    var kernel: Int
    var stride: Int
    var dilation: Int
    var pads: [Int]  // top, left, bottom, right
    var multiplier: Int
    var bias: Bool
  }

  static let layers = [
    Layer(
      kernel: 3, stride: 1, dilation: 1, pads: [1, 1, 1, 1], multiplier: 1,
      bias: true),
    Layer(
      kernel: 3, stride: 2, dilation: 1, pads: [1, 1, 1, 1], multiplier: 1,
      bias: true),
    Layer(
      kernel: 3, stride: 1, dilation: 1, pads: [1, 0, 1, 0], multiplier: 1,
      bias: true),
    Layer(
      kernel: 5, stride: 2, dilation: 2, pads: [2, 2, 3, 1], multiplier: 2,
      bias: false),
  ]

  /// Seeded values of very different magnitudes (so that the order of the
  /// additions shows in the bits).
  static func values(_ count: Int, _ rng: inout SplitMix64) -> [Float] {
    (0..<count).map { _ in
      let scale = Float(
        sign: .plus, exponent: Int.random(in: -12...12, using: &rng),
        significand: 1)
      return Float.random(in: -1...1, using: &rng) * scale
    }
  }

  /// One layer by the contract's definition, NCHW.
  static func reference(
    _ x: [Float], shape: [Int], _ layer: Layer, weight: [Float], bias: [Float]?
  ) -> (values: [Float], shape: [Int]) {
    let (batch, channels, height, width) = (
      shape[0], shape[1], shape[2], shape[3]
    )
    let k = layer.kernel
    let span = (k - 1) * layer.dilation + 1
    let outHeight =
      (height + layer.pads[0] + layer.pads[2] - span) / layer.stride + 1
    let outWidth =
      (width + layer.pads[1] + layer.pads[3] - span) / layer.stride + 1
    let outputs = channels * layer.multiplier
    var out: [Float] = []
    for n in 0..<batch {
      for o in 0..<outputs {
        let c = o / layer.multiplier
        for oy in 0..<outHeight {
          for ox in 0..<outWidth {
            var sum: Float = bias?[o] ?? 0
            for i in 0..<k {
              for j in 0..<k {
                let y = oy * layer.stride - layer.pads[0] + i * layer.dilation
                let xx = ox * layer.stride - layer.pads[1] + j * layer.dilation
                let inside = y >= 0 && y < height && xx >= 0 && xx < width
                let value: Float =
                  inside ? x[((n * channels + c) * height + y) * width + xx] : 0
                let product = weight[o * k * k + i * k + j] * value
                sum = sum + product
              }
            }
            out.append(sum)
          }
        }
      }
    }
    return (out, [batch, outputs, outHeight, outWidth])
  }

  @Test func depthwiseOutputsFollowTheFloatContract() throws {
    let folder = try RunSupport.temporaryFolder("depthwise-float")
    defer { try? FileManager.default.removeItem(at: folder) }
    var rng = SplitMix64(seed: 1906)
    var shape = [3, 4, 13, 16]
    let input = Self.values(shape.reduce(1, *), &rng)
    var expected = input
    var nodes: [Onnx_NodeProto] = []
    var initializers: [Onnx_TensorProto] = []
    for (index, layer) in Self.layers.enumerated() {
      let outputs = shape[1] * layer.multiplier
      let weight = Self.values(outputs * layer.kernel * layer.kernel, &rng)
      let bias = layer.bias ? Self.values(outputs, &rng) : nil
      var w = ModernModels.floats(
        "w\(index)",
        [Int64(outputs), 1, Int64(layer.kernel), Int64(layer.kernel)])
      w.floatData = weight
      initializers.append(w)
      var inputs = [index == 0 ? "x" : "t\(index - 1)", "w\(index)"]
      if let bias {
        var b = ModernModels.floats("b\(index)", [Int64(outputs)])
        b.floatData = bias
        initializers.append(b)
        inputs.append("b\(index)")
      }
      let name = index == Self.layers.count - 1 ? "y" : "t\(index)"
      nodes.append(
        ModernModels.node(
          "Conv", inputs, [name], name: "dw\(index)",
          [
            ModernModels.int("group", Int64(shape[1])),
            ModernModels.ints(
              "kernel_shape", [Int64(layer.kernel), Int64(layer.kernel)]),
            ModernModels.ints(
              "strides", [Int64(layer.stride), Int64(layer.stride)]),
            ModernModels.ints(
              "dilations", [Int64(layer.dilation), Int64(layer.dilation)]),
            ModernModels.ints("pads", layer.pads.map(Int64.init)),
          ]))
      (expected, shape) = Self.reference(
        expected, shape: shape, layer, weight: weight, bias: bias)
    }
    let model = try ModernModels.write(
      "depthwise", opset: 13,
      inputs: [ModernModels.info("x", [3, 4, 13, 16])],
      outputs: [ModernModels.info("y", shape.map(Int64.init))], nodes: nodes,
      initializers: initializers, to: folder)
    try RunSupport.expectContractBitsOnEveryPath(
      model: model, input: input, inputShape: [3, 4, 13, 16], shape: shape,
      expected: expected, in: folder, what: "float depthwise outputs")
  }
}
