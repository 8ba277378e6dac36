import BitAccurateExecution
import Foundation
import ONNXImport
import TestSupport
import Testing

/// `edgesim run` without `--precision` applies a Relu or Clip that alone
/// reads a convolution's output as the convolution stores its sums (the
/// packed GEMM and the depthwise kernel, issue #19): the output's bits must
/// still be the float executor's contract computed node by node — each sum
/// starts from its bias (+0 without one) and adds the products (rounded,
/// then added) in im2col order, then the separate node's
/// `min(max(s, lower), upper)` — on every kernel path this CPU has.
@Suite struct FloatClampFusionTests {
  /// One convolution by the contract's definition, NCHW: `groups` 1 or the
  /// channel count (depthwise), square kernel, equal pads.
  static func conv(
    _ x: [Float], shape: [Int], weight: [Float], outputs: Int, kernel k: Int,
    stride: Int, pad: Int, depthwise: Bool, bias: [Float]?
  ) -> (values: [Float], shape: [Int]) {
    let (batch, channels, height, width) = (
      shape[0], shape[1], shape[2], shape[3]
    )
    let outHeight = (height + 2 * pad - k) / stride + 1
    let outWidth = (width + 2 * pad - k) / stride + 1
    let reads = depthwise ? 1 : channels
    var out: [Float] = []
    for n in 0..<batch {
      for o in 0..<outputs {
        for oy in 0..<outHeight {
          for ox in 0..<outWidth {
            var sum: Float = bias?[o] ?? 0
            for r in 0..<reads {
              let c = depthwise ? o : r
              for i in 0..<k {
                for j in 0..<k {
                  let y = oy * stride - pad + i
                  let xx = ox * stride - pad + j
                  let inside = y >= 0 && y < height && xx >= 0 && xx < width
                  let value: Float =
                    inside
                    ? x[((n * channels + c) * height + y) * width + xx] : 0
                  let product =
                    weight[((o * reads + r) * k + i) * k + j] * value
                  sum = sum + product
                }
              }
            }
            out.append(sum)
          }
        }
      }
    }
    return (out, [batch, outputs, outHeight, outWidth])
  }

  /// A chain with a fused clamp after each kind of convolution.
  ///
  /// x [2, 3, 12, 13] → Conv 3×3 (40 outputs, bias) → Clip(0, 6) from
  /// initializers (ReLU6 as torchvision exports it) → depthwise 3×3, stride
  /// 2 (bias) → Relu → Conv 1×1 (37 outputs, no bias) → Clip(−0.5, none) →
  /// y. Widths and output counts fall off the 8 × 32 and 6 × 16 tiles.
  @Test func fusedClampsKeepTheContractsBits() throws {
    let folder = try RunSupport.temporaryFolder("float-clamp-fusion")
    defer { try? FileManager.default.removeItem(at: folder) }
    var rng = SplitMix64(seed: 1907)
    func values(_ count: Int, exponents: ClosedRange<Int> = -6...3) -> [Float] {
      (0..<count).map { _ in
        let scale = Float(
          sign: .plus, exponent: Int.random(in: exponents, using: &rng),
          significand: 1)
        return Float.random(in: -1...1, using: &rng) * scale
      }
    }
    func tensor(_ name: String, _ dims: [Int], _ data: [Float])
      -> Onnx_TensorProto
    {
      var t = ModernModels.floats(name, dims.map(Int64.init))
      t.floatData = data
      return t
    }
    let inputShape = [2, 3, 12, 13]
    let input = values(inputShape.reduce(1, *))
    let w1 = values(40 * 3 * 9)
    let b1 = values(40)
    let w2 = values(40 * 9)
    let b2 = values(40)
    let w3 = values(37 * 40)
    var shape = inputShape
    var x = input
    (x, shape) = Self.conv(
      x, shape: shape, weight: w1, outputs: 40, kernel: 3, stride: 1, pad: 1,
      depthwise: false, bias: b1)
    let unclamped = x
    x = x.map { min(max($0, 0), 6) }
    #expect(x != unclamped, "ReLU6 acts")
    (x, shape) = Self.conv(
      x, shape: shape, weight: w2, outputs: 40, kernel: 3, stride: 2, pad: 1,
      depthwise: true, bias: b2)
    #expect(x.contains { $0 < 0 }, "Relu acts")
    x = x.map { max($0, 0) }
    (x, shape) = Self.conv(
      x, shape: shape, weight: w3, outputs: 37, kernel: 1, stride: 1, pad: 0,
      depthwise: false, bias: nil)
    #expect(x.contains { $0 < -0.5 }, "Clip acts")
    let expected = x.map { min(max($0, -0.5), .infinity) }

    let same = [ModernModels.ints("pads", [1, 1, 1, 1])]
    let nodes = [
      ModernModels.node(
        "Conv", ["x", "w1", "b1"], ["c1"], name: "conv", same),
      ModernModels.node("Clip", ["c1", "zero", "six"], ["r1"], name: "relu6"),
      ModernModels.node(
        "Conv", ["r1", "w2", "b2"], ["c2"], name: "depthwise",
        same + [
          ModernModels.int("group", 40), ModernModels.ints("strides", [2, 2]),
        ]),
      ModernModels.node("Relu", ["c2"], ["r2"], name: "relu"),
      ModernModels.node("Conv", ["r2", "w3"], ["c3"], name: "pointwise"),
      ModernModels.node("Clip", ["c3", "low"], ["y"], name: "clip"),
    ]
    let initializers = [
      tensor("w1", [40, 3, 3, 3], w1), tensor("b1", [40], b1),
      tensor("w2", [40, 1, 3, 3], w2), tensor("b2", [40], b2),
      tensor("w3", [37, 40, 1, 1], w3), tensor("zero", [], [0]),
      tensor("six", [], [6]), tensor("low", [], [-0.5]),
    ]
    let model = try ModernModels.write(
      "float-clamps", opset: 13,
      inputs: [ModernModels.info("x", inputShape.map(Int64.init))],
      outputs: [ModernModels.info("y", shape.map(Int64.init))], nodes: nodes,
      initializers: initializers, to: folder)
    try RunSupport.expectContractBitsOnEveryPath(
      model: model, input: input, inputShape: inputShape, shape: shape,
      expected: expected, in: folder, what: "fused float outputs")
  }
}
