import HardwareModel
import Simulation
import Testing

/// A single convolution on a tiny device, worked out by hand.
///
/// Conv: 2 input channels, 4×4 input, 2 filters of 3×3, stride 1, no pad:
/// P = Q = 2, MACs = 2·2·2·2·9 = 144; weights 36 B, inputs 32 B, outputs
/// 8 B at int8. Everything fits the 1 KiB SRAM as one tile.
/// - DMA in: 68 B at 1 B/cycle = 68 cycles; compute: 144 MACs / 4 lanes =
///   36 cycles (2 output channels × 2 of K on 4 lanes, 9 lane steps × 2 rows
///   × 2 columns); DMA out: 8 cycles. Single-buffered: 68 + 36 + 8 = 112.
/// - Energy: MACs 144 × 1 pJ; DRAM 76 B × 8 × 10 pJ = 6.08 nJ.
@Suite struct HandComputedTests {
  let network = Networks.singleConv(channels: 2, filters: 2, size: 4, kernel: 3)

  func run(_ device: Device = TinyDevices.vector()) throws -> LayerResult {
    let outcome = Simulator.run(
      network, on: device,
      options: SimulationOptions(precision: .uniform(.int8)))
    let summary = try #require(outcome.summary, "\(outcome)")
    return try #require(summary.layers.first)
  }

  @Test func tilesBytesAndCycles() throws {
    let layer = try run()
    #expect(layer.macs == 144)
    #expect(layer.tileCount == 1)
    #expect(layer.dramRead == [.weights: 36, .inputs: 32])
    #expect(layer.dramWritten == [.outputs: 8])
    #expect(layer.cycles == 112)
    #expect(abs(layer.seconds - 112e-9) < 1e-15)
    #expect(layer.bound == .dram)
    #expect(layer.outputStaysOnChip == false)
    #expect(abs(layer.spatialUtilization - 1) < 1e-12)
  }

  @Test func energy() throws {
    let layer = try run()
    #expect(abs(layer.energy.mac - 144e-12) < 1e-18)
    #expect(abs(layer.energy.dram - 76 * 8 * 10e-12) < 1e-15)
    #expect(layer.energy.staticEnergy == 0)
    // The SRAM is written by the DMA (68 B) and read by the DMA-out (8 B).
    let sram = try #require(layer.levels.last)
    #expect(sram.writes[.weights] == 36)
    #expect(sram.writes[.inputs] == 32)
  }

  @Test func moreBandwidthHidesNothingButShortensTransfers() throws {
    let fast = try run(TinyDevices.vector(dramBandwidth: 4e9))
    // 68 B at 4 B/cycle = 17, compute 36, out 2: 55 cycles.
    #expect(fast.cycles == 55)
    #expect(fast.bound == .compute)
  }
}
