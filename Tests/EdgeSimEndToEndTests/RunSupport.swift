import Foundation
import NumPyFormat
import TestSupport
import Testing

/// Shared helpers of the `run` and `quantize` tests: temporary folders, JSON
/// runs and small `.npy` files.
enum RunSupport {
  static let plain = "Workloads/digits/digits-plain.onnx"
  static let dwsep = "Workloads/digits/digits-dwsep.onnx"
  static let images = "Workloads/digits/test-images.npy"
  static let labels = "Workloads/digits/test-labels.npy"

  /// A new empty folder, removed by the caller.
  static func temporaryFolder(_ label: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("edgesim-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// Runs edgesim and parses its standard output as a JSON object.
  static func json(
    _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
  )
    throws -> [String: Any]
  {
    let result = try EdgeSimProcess.run(arguments)
    #expect(
      result.status == 0, "\(arguments): \(result.standardError)",
      sourceLocation: sourceLocation)
    let object = try? JSONSerialization.jsonObject(
      with: Data(result.standardOutput.utf8))
    return object as? [String: Any] ?? [:]
  }

  /// Reads a `.npy` file.
  static func array(_ url: URL) throws -> NumPyArray {
    try NumPyArray(npy: [UInt8](try Data(contentsOf: url)))
  }

  /// Writes a float32 `.npy` file.
  static func writeFloats(_ values: [Float], shape: [Int], to url: URL) throws {
    try NumPyArray(float32: values, shape: shape).npyData().write(to: url)
  }

  /// Quantizes digits-plain at 8 bits (qiu) into `folder/p8.yaml`.
  static func plan(in folder: URL, method: String = "qiu", bits: String = "8")
    throws -> String
  {
    let path = folder.appendingPathComponent("p\(method)\(bits).yaml").path
    let result = try EdgeSimProcess.run([
      "quantize", "--model", plain, "--data", images, "--bits", bits,
      "--method", method,
      "--out", path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    return path
  }
}
