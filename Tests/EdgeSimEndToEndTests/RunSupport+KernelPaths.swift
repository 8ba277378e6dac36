import BitAccurateExecution
import Foundation
import TestSupport
import Testing

extension RunSupport {
  /// Runs `edgesim run` on `model` with `input` once per kernel path this
  /// CPU has (`EDGESIM_KERNELS`) and expects every output to have `shape`
  /// and exactly the bits of `expected` (the float executor's contract,
  /// computed by the caller from the definition).
  ///
  /// - Parameters:
  ///   - model: The ONNX model's path.
  ///   - input: The input's values.
  ///   - inputShape: The input's shape.
  ///   - shape: The output shape every path must give.
  ///   - expected: The output's values, whose bits every path must give.
  ///   - folder: Where the input and the outputs are written.
  ///   - what: Names the outputs in the failure message.
  ///   - sourceLocation: Where a failure is reported.
  /// - Throws: When a file cannot be written or read.
  static func expectContractBitsOnEveryPath(
    model: String, input: [Float], inputShape: [Int], shape: [Int],
    expected: [Float], in folder: URL, what: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let x = folder.appendingPathComponent("x.npy")
    try writeFloats(input, shape: inputShape, to: x)
    for path in KernelPath.supported {
      let y = folder.appendingPathComponent("y-\(path.rawValue).npy")
      let result = try EdgeSimProcess.run(
        ["run", "--model", model, "--input", x.path, "--output", y.path],
        environment: ["EDGESIM_KERNELS": path.rawValue])
      #expect(
        result.status == 0, "\(path): \(result.standardError)",
        sourceLocation: sourceLocation)
      let ours = try array(y)
      #expect(ours.shape == shape, "\(path)", sourceLocation: sourceLocation)
      #expect(
        ours.float32Values.map(\.bitPattern) == expected.map(\.bitPattern),
        "\(path): \(what) differ from the contract's bits",
        sourceLocation: sourceLocation)
    }
  }
}
