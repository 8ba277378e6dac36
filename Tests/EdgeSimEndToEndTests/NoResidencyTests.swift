import Foundation
import TestSupport
import Testing

/// `simulate --no-residency`: no activation stays on chip between layers,
/// for comparisons with tools that do not model inter-layer residency.
@Suite struct NoResidencyTests {
  static func layers(_ arguments: [String]) throws -> [[String: Any]] {
    let run = try EdgeSimProcess.run(
      [
        "simulate", "--no-trace", "--json", "--hardware", "coral-edgetpu-usb",
        "--model", "lenet5", "--precision", "int8",
      ] + arguments)
    #expect(run.status == 0, "\(arguments): \(run.standardError)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
        as? [String: Any])
    return try #require(object["layers"] as? [[String: Any]])
  }

  static func inputBytes(_ layer: [String: Any]) -> Double {
    (((layer["dram_read"] as? [String: Any])?["inputs"]) as? NSNumber)?
      .doubleValue ?? 0
  }

  @Test func everyLayerGoesThroughTheBackingStore() throws {
    let kept = try Self.layers([])
    #expect(kept.contains { $0["output_on_chip"] as? Bool == true })
    let off = try Self.layers(["--no-residency"])
    #expect(off.count == kept.count)
    #expect(off.allSatisfy { $0["output_on_chip"] as? Bool == false })
    #expect(off.allSatisfy { $0["inputs_on_chip"] as? Bool == false })
    let macLayers = off.filter { ($0["macs"] as? NSNumber)?.intValue ?? 0 > 0 }
    #expect(!macLayers.isEmpty)
    #expect(macLayers.allSatisfy { Self.inputBytes($0) > 0 })
    let readOff = off.reduce(0.0) { $0 + Self.inputBytes($1) }
    let readKept = kept.reduce(0.0) { $0 + Self.inputBytes($1) }
    #expect(readOff > readKept)
  }
}
