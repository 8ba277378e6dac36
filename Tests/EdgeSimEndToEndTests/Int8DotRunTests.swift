import BitAccurateExecution
import Foundation
import ONNXImport
import TestSupport
import Testing

/// `edgesim run --precision` on convolutions whose operands fit Int8, which
/// take CKernels' Int8 dot products on AVX-512 VNNI (issue #19): the
/// outputs and every dumped raw equal the portable path's (plain C Int16
/// sums) on every kernel path this CPU has, including where the Int8
/// kernel does not apply (an input of 12 bits) and the edges of its
/// blocks.
@Suite struct Int8DotRunTests {
  /// A chain of three convolutions around the Int8 kernel's edges.
  ///
  /// `x [2, 37, 9, 11]` (99 positions: not a multiple of 16 or 32 columns)
  /// → c1, 1×1 to 61 channels (K 37, not a multiple of 4) → c2, 3×3 pads 1
  /// to 7 channels (K 549, across the kernel's 512-lane blocks) → c3, 3×3
  /// stride 2 to 9 channels (K 63; its input is c2's 12-bit output, so the
  /// Int16 kernel runs) → y. Weights of −1 … 1 at fl 7 (so −128 raws),
  /// inputs of −4 … 4 at fl 5 (−128 raws where the input is −4).
  static func model(in folder: URL) throws -> String {
    var rng = SplitMix64(seed: 819)
    let layers:
      [(
        name: String, input: String, cin: Int, cout: Int, k: Int,
        stride: Int
      )] = [
        ("c1", "x", 37, 61, 1, 1), ("c2", "c1", 61, 7, 3, 1),
        ("c3", "c2", 7, 9, 3, 2),
      ]
    var nodes: [Onnx_NodeProto] = []
    var initializers: [Onnx_TensorProto] = []
    for layer in layers {
      var w = ModernModels.floats(
        "\(layer.name).w",
        [Int64(layer.cout), Int64(layer.cin), Int64(layer.k), Int64(layer.k)])
      w.floatData = w.floatData.map { _ in
        Float(Int.random(in: -130...128, using: &rng)) / 128
      }
      var b = ModernModels.floats("\(layer.name).b", [Int64(layer.cout)])
      b.floatData = b.floatData.map { _ in
        Float.random(in: -2...2, using: &rng)
      }
      initializers += [w, b]
      let pad = Int64(layer.k / 2)
      nodes.append(
        ModernModels.node(
          "Conv", [layer.input, w.name, b.name],
          [layer.name == "c3" ? "y" : layer.name], name: layer.name,
          [
            ModernModels.ints(
              "kernel_shape", [Int64(layer.k), Int64(layer.k)]),
            ModernModels.ints(
              "strides", [Int64(layer.stride), Int64(layer.stride)]),
            ModernModels.ints("pads", [pad, pad, pad, pad]),
          ]))
    }
    return try ModernModels.write(
      "int8dot", opset: 13, inputs: [ModernModels.info("x", [2, 37, 9, 11])],
      outputs: [ModernModels.info("y", [2, 9, 5, 6])], nodes: nodes,
      initializers: initializers, to: folder)
  }

  static let plan = """
    input: {bits: 8, fl: 5}
    default:
      weight: {bits: 8, fl: 7}
      activation: {bits: 8, fl: 1}
      accumulator: {bits: 32, overflow: saturateFinal}
      bias: accumulator
      rounding: halfUp
      overflow: saturate
    layers:
      c2:
        activation: {bits: 12, fl: 5}
    """

  @Test func int8OperandsRunAlikeOnEveryPath() throws {
    let folder = try RunSupport.temporaryFolder("int8-dot")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try Self.model(in: folder)
    let x = folder.appendingPathComponent("x.npy")
    var rng = SplitMix64(seed: 1919)
    let count = 2 * 37 * 9 * 11
    try RunSupport.writeFloats(
      (0..<count).map { index in
        index % 9 == 0 ? -4 : Float.random(in: -4.5...4.5, using: &rng)
      }, shape: [2, 37, 9, 11], to: x)
    let plan = folder.appendingPathComponent("p.yaml")
    try Data(Self.plan.utf8).write(to: plan)
    func run(_ path: KernelPath, dump: Bool) throws -> URL {
      let y = folder.appendingPathComponent(
        "y-\(path.rawValue)\(dump ? "-dump" : "").npy")
      var arguments = [
        "run", "--model", model, "--input", x.path, "--precision", plan.path,
        "--output", y.path,
      ]
      if dump {
        arguments += [
          "--dump", folder.appendingPathComponent("raws-\(path.rawValue)").path,
        ]
      }
      let result = try EdgeSimProcess.run(
        arguments, environment: ["EDGESIM_KERNELS": path.rawValue])
      #expect(result.status == 0, "\(path): \(result.standardError)")
      return y
    }
    func raws(_ path: KernelPath, _ name: String) throws -> [Int64] {
      let array = try RunSupport.array(
        folder.appendingPathComponent("raws-\(path.rawValue)/\(name).npy"))
      guard case .int64(let values) = array.values else {
        Issue.record("\(path) \(name): raws are not int64")
        return []
      }
      return values
    }
    let reference = try Data(contentsOf: run(.portable, dump: false))
    _ = try run(.portable, dump: true)
    // The input does reach −128 (the weights do by construction: values
    // of −1 and below at fl 7).
    #expect(try raws(.portable, "x").contains(-128))
    for path in KernelPath.supported {
      #expect(
        try Data(contentsOf: run(path, dump: false)) == reference,
        "\(path): outputs differ from the portable path's")
      _ = try run(path, dump: true)
      for name in ["x", "c1", "c2", "y"] {
        #expect(
          try raws(path, name) == raws(.portable, name),
          "\(path) \(name): dumped raws differ from the portable path's")
      }
    }
  }
}
