import Foundation
import NumPyFormat
import TestSupport
import Testing

/// Every element-wise activation the importer knows, through `edgesim run`
/// against onnxruntime (Tests/Fixtures/onnxruntime/activations, made by
/// Scripts/make-activation-references.py), and through `simulate`.
@Suite struct ActivationTests {
  static let fixture = EdgeSimProcess.root.appendingPathComponent(
    "Tests/Fixtures/onnxruntime/activations")

  static func manifest() throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(
        with: Data(
          contentsOf: fixture.appendingPathComponent("manifest.json")))
        as? [String: Any])
  }

  /// Each operator's 97 outputs agree with onnxruntime within 1e-4 of the
  /// operator's largest magnitude.
  @Test func floatRunAgreesWithOnnxruntime() throws {
    let manifest = try Self.manifest()
    let operators = try #require(manifest["operators"] as? [[String: Any]])
    let width = try #require(manifest["width"] as? Int)
    let folder = try RunSupport.temporaryFolder("activations")
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("y.npy")
    let result = try EdgeSimProcess.run([
      "run", "--model",
      Self.fixture.appendingPathComponent("activations.onnx").path,
      "--input", Self.fixture.appendingPathComponent("input.npy").path,
      "--output", output.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let ours = try RunSupport.array(output).float32Values
    let reference = try RunSupport.array(
      Self.fixture.appendingPathComponent("output.npy")
    ).float32Values
    #expect(ours.count == reference.count)
    #expect(reference.count == width * operators.count)
    guard ours.count == reference.count else { return }
    for (index, entry) in operators.enumerated() {
      let range = index * width..<(index + 1) * width
      let scale = max(1e-6, reference[range].map { abs($0) }.max() ?? 1)
      let worst =
        zip(ours[range], reference[range]).map { abs($0 - $1) }
        .max() ?? .infinity
      #expect(
        worst <= 1e-4 * scale,
        "\(entry["op"] ?? "?") \(entry["attributes"] ?? ""): max |diff| \(worst), max |ref| \(scale)"
      )
    }
  }

  /// The model simulates on a phone CPU and an NPU, every activation a
  /// streaming layer with one operation per element.
  @Test(arguments: ["pixel3-cpu", "coral-edgetpu-usb"])
  func simulates(device: String) throws {
    let result = try EdgeSimProcess.run([
      "simulate", "--hardware", device, "--model",
      Self.fixture.appendingPathComponent("activations.onnx").path,
      "--no-trace", "--json",
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let summary = try #require(
      JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
        as? [String: Any])
    let totals = try #require(summary["totals"] as? [String: Any])
    #expect((totals["latency_s"] as? Double ?? 0) > 0)
    #expect(totals["operations"] as? Int == 22 * 97)
  }
}
