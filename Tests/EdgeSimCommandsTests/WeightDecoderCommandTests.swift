import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// A device's decoder of coded weights (`compute.decoder`, issue #17 item 3)
/// through `edgesim simulate`: decoding the weights a layer reads from DRAM
/// bounds its time when it is the slowest stage, and costs energy per
/// stored entry.
@Suite struct WeightDecoderCommandTests {
  static let coding = ComputeVariantRuns.coding

  struct Summary: Decodable {
    let layers: [Layer]
    struct Layer: NamedLayer {
      let name: String
      let cycles: Int
      let macs: Int
      let bound: String
      let dramRead: [String: Int]
      let energy: Energy
      enum CodingKeys: String, CodingKey {
        case name, cycles, macs, bound, energy
        case dramRead = "dram_read"
      }
    }
    struct Energy: Decodable { let ops: Double }
  }

  static func device(_ value: String?, in folder: TemporaryFolder) throws
    -> String
  {
    try ComputeVariantRuns.device("decoder", value, in: folder)
  }

  static func simulate(_ device: String, coding: String? = Self.coding)
    async throws -> [String: Summary.Layer]
  {
    try await ComputeVariantRuns.simulate(
      device, coding: coding, as: Summary.Layer.self)
  }

  /// A decoder that takes one coded byte per cycle makes fc6 (3.9 MB of
  /// coded weights, 1.19 M cycles of compute) decoder-bound at one cycle
  /// per coded byte; one lookup per cycle makes it one cycle per stored
  /// weight (9% of 37.7 M kept).
  @Test func aSlowDecoderBoundsTheLayer() async throws {
    let folder = try TemporaryFolder()
    let plain = try await Self.simulate(try Self.device(nil, in: folder))
    let byBits = try await Self.simulate(
      try Self.device("{bits_per_cycle: 8}", in: folder))
    let byLookups = try await Self.simulate(
      try Self.device("{weights_per_cycle: 1}", in: folder))
    let fc6 = try #require(plain["fc6"])
    let codedBytes = try #require(fc6.dramRead["weights"])
    #expect(fc6.bound != "decoder")
    #expect(fc6.cycles < codedBytes, "the decoder must be the slower stage")
    let bits = try #require(byBits["fc6"])
    #expect(bits.bound == "decoder")
    #expect(abs(bits.cycles - codedBytes) <= 1, "\(bits.cycles) \(codedBytes)")
    let lookups = try #require(byLookups["fc6"])
    #expect(lookups.bound == "decoder")
    let entries = 0.09 * Double(fc6.macs)  // the coding file's fc6 density
    #expect(
      abs(Double(lookups.cycles) - entries) <= 1e-6 * entries + 1,
      "\(lookups.cycles) \(entries)")
  }

  /// A fast decoder changes no cycle; without a weight coding, or without
  /// a decoder, nothing is decoded; the declared energy is charged per
  /// stored entry as operation energy.
  @Test func aFastDecoderOnlyCostsEnergy() async throws {
    let folder = try TemporaryFolder()
    let plain = try await Self.simulate(try Self.device(nil, in: folder))
    let decoder = try Self.device(
      "{bits_per_cycle: 1e6, weights_per_cycle: 1e6, energy: 1 pJ}", in: folder)
    let fast = try await Self.simulate(decoder)
    #expect(plain.count == fast.count)
    for (name, layer) in plain {
      let other = try #require(fast[name])
      #expect(other.cycles == layer.cycles, "\(name)")
      #expect(other.bound == layer.bound, "\(name)")
    }
    let fc6 = try #require(plain["fc6"])
    let extra = try #require(fast["fc6"]).energy.ops - fc6.energy.ops
    let expected = 0.09 * Double(fc6.macs) * 1e-12
    #expect(abs(extra - expected) <= 1e-6 * expected, "\(extra) \(expected)")
    let uncoded = try await Self.simulate(decoder, coding: nil)
    let dense = try await Self.simulate(
      try Self.device(nil, in: folder), coding: nil)
    for (name, layer) in dense {
      let other = try #require(uncoded[name])
      #expect(other.cycles == layer.cycles, "\(name)")
      #expect(other.energy.ops == layer.energy.ops, "\(name)")
    }
  }

  /// A decoder without a rate, or with a rate of 0, is a located error.
  @Test func aDecoderNeedsARate() async throws {
    let folder = try TemporaryFolder()
    for (decoder, message) in [
      ("{energy: 1 pJ}", "'decoder' states no rate"),
      ("{bits_per_cycle: 0}", "bits_per_cycle"),
      ("{weights_per_cycle: 4, lookups: 2}", "lookups"),
    ] {
      let device = try Self.device(decoder, in: folder)
      let run = await EdgeSimMain.capture([
        "simulate", "--hardware", device, "--model", "alexnet", "--no-trace",
      ])
      #expect(run.status != 0, "\(decoder)")
      #expect(run.standardError.contains(message), "\(run.standardError)")
      #expect(run.standardError.contains(":17:"), "\(run.standardError)")
    }
  }
}
