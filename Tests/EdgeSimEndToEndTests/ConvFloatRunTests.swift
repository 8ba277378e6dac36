import BitAccurateExecution
import Foundation
import ONNXImport
import TestSupport
import Testing

/// `edgesim run` (the float executor) on convolutions that are not
/// pointwise, whose GEMM packs the im2col matrix's blocks straight from the
/// input planes (issue #19; by gathers on AVX-512 for windows of up to 64
/// taps): the output's bits equal the float executor's contract
/// (Documentation/FloatExecution.md) computed here from the definition —
/// each output starts from its bias (+0 without one) and adds w[c][i][j] ·
/// x, the product rounded then added, c, then i, then j ascending, with x =
/// +0 on padding — on every kernel path this CPU has.
///
/// A MaxPool (ResNet's 3×3, stride 2, pads 1) takes the largest input its
/// window reads.
@Suite struct ConvFloatRunTests {
  struct Layer {
    var kernel: Int
    var stride: Int
    var dilation: Int
    var pads: [Int]  // top, left, bottom, right
    var outputs: Int
    var group: Int
    var bias: Bool
    var relu: Bool
    var pool = false
  }

  /// From `x [2, 3, 40, 36]`: ResNet's 7×7 stride-2 stem (20 × 18 outputs,
  /// more than one 128- or 256-column block, strips across rows), a 3×3
  /// with a fused Relu and a MaxPool, a 3×3 stride 2, a grouped 3×3 with
  /// dilation 2 and uneven pads, a 9×9 (81 taps: more than the gathers' 64;
  /// K = 648, more than one 128- or 256-deep block) and a 1×1 stride 2 (not
  /// pointwise: it skips inputs).
  static let layers = [
    Layer(
      kernel: 7, stride: 2, dilation: 1, pads: [3, 3, 3, 3], outputs: 8,
      group: 1, bias: true, relu: false),
    Layer(
      kernel: 3, stride: 1, dilation: 1, pads: [1, 1, 1, 1], outputs: 16,
      group: 1, bias: true, relu: true, pool: true),
    Layer(
      kernel: 3, stride: 2, dilation: 1, pads: [1, 1, 1, 1], outputs: 16,
      group: 1, bias: false, relu: false),
    Layer(
      kernel: 3, stride: 1, dilation: 2, pads: [2, 1, 1, 2], outputs: 8,
      group: 2, bias: true, relu: false),
    Layer(
      kernel: 9, stride: 1, dilation: 1, pads: [4, 4, 4, 4], outputs: 4,
      group: 1, bias: true, relu: false),
    Layer(
      kernel: 1, stride: 2, dilation: 1, pads: [0, 0, 0, 0], outputs: 6,
      group: 1, bias: true, relu: false),
  ]

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
    let groupIn = channels / layer.group
    let groupOut = layer.outputs / layer.group
    var out: [Float] = []
    for n in 0..<batch {
      for o in 0..<layer.outputs {
        let first = o / groupOut * groupIn
        for oy in 0..<outHeight {
          for ox in 0..<outWidth {
            var sum: Float = bias?[o] ?? 0
            for c in 0..<groupIn {
              for i in 0..<k {
                for j in 0..<k {
                  let y = oy * layer.stride - layer.pads[0] + i * layer.dilation
                  let xx =
                    ox * layer.stride - layer.pads[1] + j * layer.dilation
                  let inside = y >= 0 && y < height && xx >= 0 && xx < width
                  let value: Float =
                    inside
                    ? x[((n * channels + first + c) * height + y) * width + xx]
                    : 0
                  let w = weight[((o * groupIn + c) * k + i) * k + j]
                  let product = w * value
                  sum = sum + product
                }
              }
            }
            out.append(layer.relu ? max(sum, 0) : sum)
          }
        }
      }
    }
    return (out, [batch, layer.outputs, outHeight, outWidth])
  }

  /// MaxPool 3×3, stride 2, pads 1 by its definition: Swift's `max` over
  /// the inputs the window reads, i then j ascending.
  static func maxPool(_ x: [Float], shape: [Int]) -> ([Float], [Int]) {
    let (planes, height, width) = (shape[0] * shape[1], shape[2], shape[3])
    let (outHeight, outWidth) = ((height - 1) / 2 + 1, (width - 1) / 2 + 1)
    var out: [Float] = []
    for plane in 0..<planes {
      for oy in 0..<outHeight {
        for ox in 0..<outWidth {
          var best = -Float.infinity
          for i in 0..<3 {
            for j in 0..<3 {
              let (y, xx) = (oy * 2 - 1 + i, ox * 2 - 1 + j)
              guard y >= 0, y < height, xx >= 0, xx < width else { continue }
              best = max(best, x[(plane * height + y) * width + xx])
            }
          }
          out.append(best)
        }
      }
    }
    return (out, [shape[0], shape[1], outHeight, outWidth])
  }

  @Test func convolutionOutputsFollowTheFloatContract() throws {
    let folder = try RunSupport.temporaryFolder("conv-float")
    defer { try? FileManager.default.removeItem(at: folder) }
    var rng = SplitMix64(seed: 1918)
    let inputShape = [2, 3, 40, 36]
    var shape = inputShape
    let input = DepthwiseFloatRunTests.values(shape.reduce(1, *), &rng)
    var expected = input
    var nodes: [Onnx_NodeProto] = []
    var initializers: [Onnx_TensorProto] = []
    for (index, layer) in Self.layers.enumerated() {
      let groupIn = shape[1] / layer.group
      let weight = DepthwiseFloatRunTests.values(
        layer.outputs * groupIn * layer.kernel * layer.kernel, &rng)
      let bias =
        layer.bias ? DepthwiseFloatRunTests.values(layer.outputs, &rng) : nil
      var w = ModernModels.floats(
        "w\(index)",
        [
          Int64(layer.outputs), Int64(groupIn), Int64(layer.kernel),
          Int64(layer.kernel),
        ])
      w.floatData = weight
      initializers.append(w)
      var inputs = [index == 0 ? "x" : "t\(index - 1)", "w\(index)"]
      if let bias {
        var b = ModernModels.floats("b\(index)", [Int64(layer.outputs)])
        b.floatData = bias
        initializers.append(b)
        inputs.append("b\(index)")
      }
      let name = index == Self.layers.count - 1 ? "y" : "t\(index)"
      let reluOutput = layer.pool ? "r\(index)" : name
      let convOutput = layer.relu ? "c\(index)" : reluOutput
      nodes.append(
        ModernModels.node(
          "Conv", inputs, [convOutput], name: "conv\(index)",
          [
            ModernModels.int("group", Int64(layer.group)),
            ModernModels.ints(
              "kernel_shape", [Int64(layer.kernel), Int64(layer.kernel)]),
            ModernModels.ints(
              "strides", [Int64(layer.stride), Int64(layer.stride)]),
            ModernModels.ints(
              "dilations", [Int64(layer.dilation), Int64(layer.dilation)]),
            ModernModels.ints("pads", layer.pads.map(Int64.init)),
          ]))
      if layer.relu {
        nodes.append(
          ModernModels.node(
            "Relu", [convOutput], [reluOutput], name: "relu\(index)"))
      }
      (expected, shape) = Self.reference(
        expected, shape: shape, layer, weight: weight, bias: bias)
      if layer.pool {
        nodes.append(
          ModernModels.node(
            "MaxPool", [reluOutput], [name], name: "pool\(index)",
            [
              ModernModels.ints("kernel_shape", [3, 3]),
              ModernModels.ints("strides", [2, 2]),
              ModernModels.ints("pads", [1, 1, 1, 1]),
            ]))
        (expected, shape) = Self.maxPool(expected, shape: shape)
      }
    }
    let model = try ModernModels.write(
      "conv", opset: 13,
      inputs: [ModernModels.info("x", inputShape.map(Int64.init))],
      outputs: [ModernModels.info("y", shape.map(Int64.init))], nodes: nodes,
      initializers: initializers, to: folder)
    try RunSupport.expectContractBitsOnEveryPath(
      model: model, input: input, inputShape: inputShape, shape: shape,
      expected: expected, in: folder, what: "float convolution outputs")
  }
}
