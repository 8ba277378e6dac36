import BitAccurateExecution
import Foundation
import NetworkGraph
import NumPyFormat
import ONNXImport
import Testing

/// Paths and loaders for the committed models and fixtures.
enum Fixtures {
  /// The package root, from this file's path.
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func bytes(_ relative: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: root.appendingPathComponent(relative)))
  }

  static func array(_ relative: String) throws -> NumPyArray {
    try NumPyArray(npy: try bytes(relative))
  }

  /// A digits model (`digits-plain` or `digits-dwsep`) imported with batch 1.
  static func model(_ name: String) throws -> Network {
    let result = ONNXImporter.read(
      bytes: try bytes("Workloads/digits/\(name).onnx"),
      fileName: "\(name).onnx",
      externalData: { _ in .notFound })
    guard let model = result.value else {
      throw TestFailure(
        message: result.diagnostics.map { "\($0)" }.joined(separator: "\n"))
    }
    return model.network
  }

  /// The 540 test images `[540, 1, 8, 8]` and labels.
  static func testSplit() throws -> (images: FloatTensor, labels: [Int]) {
    let images = try array("Workloads/digits/test-images.npy")
    let labels = try array("Workloads/digits/test-labels.npy")
    guard case .int64(let values) = labels.values else {
      throw TestFailure(message: "labels are not int64")
    }
    return (
      try FloatTensor(shape: images.shape, values: images.float32Values),
      values.map { Int($0) }
    )
  }

  static func tensor(_ relative: String) throws -> FloatTensor {
    let array = try array(relative)
    return try FloatTensor(shape: array.shape, values: array.float32Values)
  }
}

struct TestFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
