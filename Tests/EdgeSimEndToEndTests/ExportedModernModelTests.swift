import Foundation
import NumPyFormat
import TestSupport
import Testing

/// The bundled models of each modern family (issue #16 item 7), exported
/// by PyTorch's two ONNX exporters (`Scripts/workloads/export-modern.py`):
/// `inspect` counts the MACs PyTorch's own FLOP counter counts, and each
/// simulates on a phone CPU and an NPU.
@Suite struct ExportedModernModelTests {
  static let folder = "Workloads/onnx/modern"

  struct Entry {
    var name: String
    var model: String
    var torchMACs: Int
    /// Graph input name → `.npy` path.
    var inputs: [String: String]
    /// onnxruntime's first output for those inputs.
    var output: String
  }

  static func manifest() throws -> [Entry] {
    let data = try Data(
      contentsOf: URL(fileURLWithPath: "\(folder)/manifest.json"))
    let object =
      try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]]
      ?? [:]
    return object.keys.sorted().map { name in
      let entry = object[name] ?? [:]
      return Entry(
        name: name, model: "\(folder)/\(entry["model"] as? String ?? "")",
        torchMACs: (entry["torch_flops"] as? Int ?? 0) / 2,
        inputs: (entry["inputs"] as? [String: String] ?? [:]).mapValues {
          "\(folder)/\($0)"
        },
        output: "\(folder)/\(entry["output"] as? String ?? "")")
    }
  }

  static func totals(_ arguments: [String]) throws -> (
    EdgeSimProcess.Output, [String: Any]
  ) {
    let result = try EdgeSimProcess.run(arguments)
    let object =
      (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)))
      as? [String: Any]
    return (result, object?["totals"] as? [String: Any] ?? [:])
  }

  @Test func everyFamilyIsBundled() throws {
    let names = Set(try Self.manifest().map(\.name))
    for family in [
      "text-encoder", "vit-hybrid", "detector", "segmenter", "kws-lstm",
      "kws-gru", "text-encoder-dynamo", "detector-dynamo",
    ] {
      #expect(names.contains(family), "\(family)")
    }
  }

  @Test func macsAreThoseOfPyTorchsCounter() throws {
    for entry in try Self.manifest() {
      let (result, totals) = try Self.totals([
        "inspect", "--json", entry.model,
      ])
      #expect(result.status == 0, "\(entry.name): \(result.standardError)")
      let macs = totals["macs"] as? Int
      if entry.name == "kws-lstm" {
        // PyTorch's counter skips aten::lstm (it counts only the head,
        // 64 × 12): 49 steps × 4 gates × 64 × (10 + 64) + 768.
        #expect(entry.torchMACs == 768)
        #expect(macs == 49 * 4 * 64 * (10 + 64) + 768)
      } else {
        #expect(macs == entry.torchMACs, "\(entry.name)")
      }
    }
  }

  @Test func eachSimulatesOnAPhoneAndAnNPU() throws {
    let folder = try RunSupport.temporaryFolder("exported-modern")
    defer { try? FileManager.default.removeItem(at: folder) }
    for entry in try Self.manifest() {
      for device in ["pixel3-cpu", "npu-32x32"] {
        let (result, totals) = try Self.totals([
          "simulate", "--model", entry.model, "--hardware", device, "--json",
          "--trace",
          folder.appendingPathComponent("\(entry.name)-\(device)").path,
        ])
        #expect(
          result.status == 0,
          "\(entry.name) on \(device): \(result.standardError)")
        #expect(
          (totals["latency_s"] as? Double ?? 0) > 0,
          "\(entry.name) on \(device)")
        #expect((totals["macs"] as? Int ?? 0) > 0, "\(entry.name) on \(device)")
      }
    }
  }

  /// `run` in float gives onnxruntime's first output within 1e-4 of its
  /// largest magnitude (FloatExecution.md's bound).
  @Test func runMatchesOnnxruntime() throws {
    let folder = try RunSupport.temporaryFolder("exported-modern-run")
    defer { try? FileManager.default.removeItem(at: folder) }
    for entry in try Self.manifest() {
      let output = folder.appendingPathComponent("\(entry.name).npy")
      let inputs = entry.inputs.keys.sorted().flatMap {
        ["--input", "\($0)=\(entry.inputs[$0] ?? "")"]
      }
      let result = try EdgeSimProcess.run(
        ["run", "--model", entry.model, "--output", output.path] + inputs)
      #expect(result.status == 0, "\(entry.name): \(result.standardError)")
      let mine = try RunSupport.array(output)
      let theirs = try RunSupport.array(URL(fileURLWithPath: entry.output))
      #expect(mine.shape == theirs.shape, "\(entry.name)")
      let reference = theirs.float32Values
      let largest = reference.map(abs).max() ?? 0
      let worst =
        zip(mine.float32Values, reference).map { abs($0 - $1) }.max()
        ?? .infinity
      #expect(worst <= 1e-4 * largest, "\(entry.name): \(worst) of \(largest)")
    }
  }
}
