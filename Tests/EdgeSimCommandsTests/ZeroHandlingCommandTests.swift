import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// Sparse compute through `edgesim simulate` (issue #17 item 3): a device
/// declares what its datapath does with zero operands (`compute.zeros`),
/// and the densities of a DRAM-coding file decide how many there are.
@Suite struct ZeroHandlingCommandTests {
  static let coding = ComputeVariantRuns.coding

  struct Summary: Decodable {
    let layers: [Layer]
    struct Layer: NamedLayer {
      let name: String
      let cycles: Int
      let macs: Int
      let energy: Energy
    }
    struct Energy: Decodable { let mac: Double }
  }

  static func device(_ value: String?, in folder: TemporaryFolder) throws
    -> String
  {
    try ComputeVariantRuns.device("zeros", value, in: folder)
  }

  static func simulate(_ device: String, coding: String? = Self.coding)
    async throws -> [String: Summary.Layer]
  {
    try await ComputeVariantRuns.simulate(
      device, coding: coding, as: Summary.Layer.self)
  }

  /// Gating zero weights saves their MAC energy (the coding file's density
  /// of each layer: conv2 keeps 38%, fc6 9%) and no cycle; skipping saves
  /// both; a device that does nothing with zeros is the dense figure.
  @Test func gateSavesEnergySkipSavesTimeToo() async throws {
    let folder = try TemporaryFolder()
    let dense = try await Self.simulate(try Self.device(nil, in: folder))
    let gate = try await Self.simulate(
      try Self.device("{weights: gate}", in: folder))
    let skip = try await Self.simulate(
      try Self.device("{weights: skip}", in: folder))
    for (name, density) in [("conv2", 0.38), ("fc6", 0.09), ("conv1", 0.84)] {
      let d = try #require(dense[name])
      let g = try #require(gate[name])
      let s = try #require(skip[name])
      #expect(abs(g.energy.mac - d.energy.mac * density) <= 1e-8 * d.energy.mac)
      #expect(abs(s.energy.mac - g.energy.mac) <= 1e-8 * d.energy.mac)
      #expect(g.cycles == d.cycles, "\(name): gating keeps the cycles")
      #expect(s.cycles <= d.cycles, "\(name)")
    }
    // conv2 is compute-bound on this array: skipping 62% of its MACs
    // takes its cycles down by about that much.
    let conv2 = try #require(skip["conv2"])
    let denseConv2 = try #require(dense["conv2"])
    #expect(Double(conv2.cycles) < 0.5 * Double(denseConv2.cycles))
  }

  /// Without densities (no coding file) the declaration changes nothing.
  @Test func withoutDensitiesTheRunIsDense() async throws {
    let folder = try TemporaryFolder()
    let dense = try await Self.simulate(
      try Self.device(nil, in: folder), coding: nil)
    let skip = try await Self.simulate(
      try Self.device("{weights: skip, activations: skip}", in: folder),
      coding: nil)
    for (name, layer) in dense {
      #expect(skip[name]?.cycles == layer.cycles, "\(name)")
      #expect(skip[name]?.energy.mac == layer.energy.mac, "\(name)")
    }
  }

  /// A wrong policy is located, with the choices.
  @Test func aWrongPolicyIsLocated() async throws {
    let folder = try TemporaryFolder()
    let device = try Self.device("{weights: skp}", in: folder)
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", device, "--model", "alexnet", "--no-trace",
    ])
    #expect(run.status == 1)
    #expect(run.standardError.contains("\(device):"))
    #expect(run.standardError.contains("'skp' is not a valid weights"))
    #expect(run.standardError.contains("skip"))
  }
}
