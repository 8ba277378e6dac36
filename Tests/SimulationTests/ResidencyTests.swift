import HardwareModel
import Simulation
import Testing

/// A layer's output stays on chip for the next layer when it fits.
@Suite struct ResidencyTests {
  var twoConvs: NetworkBuilder {
    var b = NetworkBuilder(name: "two", input: [1, 4, 8, 8])
    b.conv("a", in: 4, out: 8, kernel: 3, pad: 1)
    b.relu("a_relu")
    b.conv("b", in: 8, out: 8, kernel: 3, pad: 1)
    return b
  }

  @Test func outputStaysWhenItFits() throws {
    let summary = try #require(
      Simulator.run(twoConvs.network, on: TinyDevices.vector(sram: 8192))
        .summary)
    let a = try #require(summary.layers.first { $0.name == "a" })
    let relu = try #require(summary.layers.first { $0.name == "a_relu" })
    let b = try #require(summary.layers.first { $0.name == "b" })
    #expect(a.outputStaysOnChip)
    #expect(a.dramWritten.isEmpty)
    #expect(relu.fusedInto == "a")
    #expect(relu.dramBytes == 0)
    #expect(b.inputsOnChip)
    #expect(b.dramRead[.inputs] == nil)
    // The network's output always goes back to DRAM.
    #expect(!b.outputStaysOnChip)
    #expect(b.dramWritten[.outputs] == 8 * 8 * 8)
  }

  @Test func outputGoesToDRAMWhenKeepingIsOff() throws {
    let options = SimulationOptions(keepOutputsOnChip: false)
    let summary = try #require(
      Simulator.run(
        twoConvs.network, on: TinyDevices.vector(sram: 8192), options: options
      ).summary)
    let a = try #require(summary.layers.first { $0.name == "a" })
    let b = try #require(summary.layers.first { $0.name == "b" })
    #expect(!a.outputStaysOnChip)
    #expect(a.dramWritten[.outputs] == 8 * 8 * 8)
    #expect(b.dramRead[.inputs] == 8 * 8 * 8)
  }

  @Test func outputGoesToDRAMWhenItDoesNotFit() throws {
    // 512 B of output leaves 8 B of a 520 B SRAM: no tile fits beside it.
    let summary = try #require(
      Simulator.run(twoConvs.network, on: TinyDevices.vector(sram: 520)).summary
    )
    let a = try #require(summary.layers.first { $0.name == "a" })
    #expect(!a.outputStaysOnChip)
    #expect(a.dramWritten[.outputs] == 512)
  }
}
