import Foundation
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
        torchMACs: (entry["torch_flops"] as? Int ?? 0) / 2)
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
}
