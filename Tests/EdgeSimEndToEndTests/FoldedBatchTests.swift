import Foundation
import NumPyFormat
import TestSupport
import Testing

/// A model whose import folded its symbolic batch into a constant.
///
/// Exporters compute a Reshape's target from `Shape(x)`, so the importer
/// folds the bound batch into a constant. Such a model with a symbolic
/// batch still runs a batch of any size: `run` takes it in slices of the
/// folded batch, and `quantize` imports it again at the batch's size.
struct FoldedBatchTests {
  static func samples(_ count: Int) -> [Float] {
    (0..<(count * 8 * 16)).map { Float(($0 * 53) % 29) / 16 - 0.9 }
  }

  @Test func aBatchRunsAsItsSamplesOneByOne() throws {
    let folder = try RunSupport.temporaryFolder("folded-batch")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try ModernModels.transformer(in: folder)
    let values = Self.samples(3)
    let batch = folder.appendingPathComponent("x3.npy")
    try NumPyArray(float32: values, shape: [3, 8, 16]).npyData().write(
      to: batch)
    let out = folder.appendingPathComponent("y3.npy")
    let whole = try EdgeSimProcess.run([
      "run", "--model", model, "--input", batch.path, "--output", out.path,
    ])
    #expect(whole.status == 0, "\(whole.standardError)")
    let joined = try NumPyArray(npy: Data(contentsOf: out))
    #expect(joined.shape == [3, 8, 16])
    for index in 0..<3 {
      let one = folder.appendingPathComponent("x\(index).npy")
      try NumPyArray(
        float32: Array(values[(index * 128)..<((index + 1) * 128)]),
        shape: [1, 8, 16]
      ).npyData().write(to: one)
      let single = folder.appendingPathComponent("y\(index).npy")
      let result = try EdgeSimProcess.run([
        "run", "--model", model, "--input", one.path, "--output", single.path,
      ])
      #expect(result.status == 0, "\(result.standardError)")
      let alone = try NumPyArray(npy: Data(contentsOf: single)).float32Values
      #expect(
        Array(joined.float32Values[(index * 128)..<((index + 1) * 128)])
          == alone)
    }
  }

  /// `x [batch, 8, 16]` → Reshape to `[Shape(x)[0], 128]` → Relu → `y`.
  static func flattening(in folder: URL) throws -> String {
    typealias M = ModernModels
    return try M.write(
      "flattening", opset: 13,
      inputs: [M.info("x", [1, 8, 16], batch: "batch")],
      outputs: [M.info("y", [1, 128], batch: "batch")],
      nodes: [
        M.node("Shape", ["x"], ["x_shape"]),
        M.node("Gather", ["x_shape", "zero"], ["n"], [M.int("axis", 0)]),
        M.node("Unsqueeze", ["n", "axes0"], ["n1"]),
        M.node("Concat", ["n1", "width"], ["target"], [M.int("axis", 0)]),
        M.node("Reshape", ["x", "target"], ["r"]),
        M.node("Relu", ["r"], ["y"]),
      ],
      initializers: [
        M.ints("zero", [0], scalar: true), M.ints("axes0", [0]),
        M.ints("width", [128]),
      ], to: folder)
  }

  @Test func quantizeAndAFixedPointRunTakeTheWholeBatch() throws {
    let folder = try RunSupport.temporaryFolder("folded-batch-fixed")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = try Self.flattening(in: folder)
    let batch = folder.appendingPathComponent("x4.npy")
    try NumPyArray(float32: Self.samples(4), shape: [4, 8, 16]).npyData()
      .write(to: batch)
    let plan = folder.appendingPathComponent("p.yaml").path
    let quantized = try EdgeSimProcess.run([
      "quantize", "--model", model, "--data", batch.path, "--bits", "16",
      "--out", plan,
    ])
    #expect(quantized.status == 0, "\(quantized.standardError)")
    let run = try EdgeSimProcess.run([
      "run", "--model", model, "--input", batch.path, "--precision", plan,
      "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput.contains("\"samples\" : 4"))
  }
}
