import BitAccurateExecution
import Foundation
import ONNXImport
import TestSupport
import Testing

/// `edgesim run --precision` on 3 × 3 depthwise convolutions, which an
/// outputs-only run takes to CKernels' `edgesim_depthwise3x3_i16` (issue
/// #19) once their input raws are held as Int16: the outputs on every
/// kernel path this CPU has equal those of the same plan with
/// `saturateEachStep`, which runs every convolution on the Int64 path (the
/// 32-bit accumulator never saturates here, so both plans give the same
/// integers).
@Suite struct DepthwiseIntRunTests {
  /// Five depthwise convolutions of 6 channels, around the kernel's cases.
  ///
  /// `x [2, 6, 9, 37]` → d1, stride 1, pads 1 (rows of 37: one block of 32
  /// and a tail) → d2, stride 2, pads 1 (`[5, 19]`) → d3, stride 1, pads
  /// top 0, left 1, bottom 1, right 0 (`[4, 18]`) → d4, stride 2, pads 1
  /// (`[2, 9]`) → d5, stride 1, pads 1 (rows of 9: along the flat plane) →
  /// y. Weights of −1 … 1 at fl 7 (so −128 raws), inputs of −4 … 4 at
  /// fl 5; 8-bit activations at fl 1, so that outputs saturate.
  static func model(in folder: URL) throws -> String {
    var rng = SplitMix64(seed: 3319)
    let layers: [(name: String, input: String, stride: Int64, pads: [Int64])] =
      [
        ("d1", "x", 1, [1, 1, 1, 1]), ("d2", "d1", 2, [1, 1, 1, 1]),
        ("d3", "d2", 1, [0, 1, 1, 0]), ("d4", "d3", 2, [1, 1, 1, 1]),
        ("d5", "d4", 1, [1, 1, 1, 1]),
      ]
    var nodes: [Onnx_NodeProto] = []
    var initializers: [Onnx_TensorProto] = []
    for layer in layers {
      var w = ModernModels.floats("\(layer.name).w", [6, 1, 3, 3])
      w.floatData = w.floatData.map { _ in
        Float(Int.random(in: -130...128, using: &rng)) / 128
      }
      var b = ModernModels.floats("\(layer.name).b", [6])
      b.floatData = b.floatData.map { _ in
        Float.random(in: -2...2, using: &rng)
      }
      initializers += [w, b]
      nodes.append(
        ModernModels.node(
          "Conv", [layer.input, w.name, b.name],
          [layer.name == "d5" ? "y" : layer.name], name: layer.name,
          [
            ModernModels.ints("kernel_shape", [3, 3]),
            ModernModels.ints("strides", [layer.stride, layer.stride]),
            ModernModels.ints("pads", layer.pads),
            ModernModels.int("group", 6),
          ]))
    }
    return try ModernModels.write(
      "depthwise-int", opset: 13,
      inputs: [ModernModels.info("x", [2, 6, 9, 37])],
      outputs: [ModernModels.info("y", [2, 6, 2, 9])], nodes: nodes,
      initializers: initializers, to: folder)
  }

  static func plan(_ overflow: String) -> String {
    """
    input: {bits: 8, fl: 5}
    default:
      weight: {bits: 8, fl: 7}
      activation: {bits: 8, fl: 1}
      accumulator: {bits: 32, overflow: \(overflow)}
      bias: accumulator
      rounding: halfUp
      overflow: saturate
    """
  }

  @Test func depthwiseRunsAlikeOnEveryPath() throws {
    let folder = try RunSupport.temporaryFolder("depthwise-int")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try Self.model(in: folder)
    let x = folder.appendingPathComponent("x.npy")
    var rng = SplitMix64(seed: 1931)
    let count = 2 * 6 * 9 * 37
    try RunSupport.writeFloats(
      (0..<count).map { _ in Float.random(in: -4.5...4.5, using: &rng) },
      shape: [2, 6, 9, 37], to: x)
    func run(_ path: KernelPath, overflow: String) throws -> Data {
      let plan = folder.appendingPathComponent("p-\(overflow).yaml")
      try Data(Self.plan(overflow).utf8).write(to: plan)
      let y = folder.appendingPathComponent(
        "y-\(path.rawValue)-\(overflow).npy")
      let result = try EdgeSimProcess.run(
        [
          "run", "--model", model, "--input", x.path, "--precision",
          plan.path, "--output", y.path,
        ], environment: ["EDGESIM_KERNELS": path.rawValue])
      #expect(result.status == 0, "\(path): \(result.standardError)")
      return try Data(contentsOf: y)
    }
    let reference = try run(.portable, overflow: "saturateEachStep")
    // The outputs are not all alike (a broken run could give zeros).
    let outputs = try RunSupport.array(
      folder.appendingPathComponent("y-portable-saturateEachStep.npy"))
    switch outputs.values {
    case .float32(let values): #expect(Set(values).count > 8)
    case .float64(let values): #expect(Set(values).count > 8)
    default: Issue.record("outputs of \(outputs.values.kind)")
    }
    for path in KernelPath.supported {
      #expect(
        try run(path, overflow: "saturateFinal") == reference,
        "\(path): outputs differ from the Int64 path's")
    }
  }
}
