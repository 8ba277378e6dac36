import HardwareModel
import Mapping
import PrecisionModel
import Simulation
import Testing

/// Energy scaling, DSP packing and the tile search's building blocks.
@Suite struct ModelTests {
  @Test func macEnergyIsExactAtTheAnchorAndGrowsWithWidth() throws {
    let device = TinyDevices.vector()
    let int8 = EnergyModel.macEnergy(
      LayerWidths(precision: .int8), device: device)
    #expect(abs(int8 - 1e-12) < 1e-24)
    let int4 = EnergyModel.macEnergy(
      LayerWidths(precision: .int4), device: device)
    let int16 = EnergyModel.macEnergy(
      LayerWidths(precision: .int16), device: device)
    #expect(int4 < int8 && int8 < int16)
    // int16: 0.87 × 4 + 0.13 × 1 = 3.61 pJ.
    #expect(abs(int16 - 3.61e-12) < 1e-20)
    let fp16 = EnergyModel.macEnergy(
      LayerWidths(precision: .fp16), device: device)
    #expect(fp16 > int16 * 0.9)
  }

  @Test func dspPacking() {
    #expect(
      DSPPacking.macsPerDSP(weightBits: 8, inputBits: 8, isFloat: false) == 2)
    #expect(
      DSPPacking.macsPerDSP(weightBits: 6, inputBits: 8, isFloat: false) == 2)
    #expect(
      DSPPacking.macsPerDSP(weightBits: 16, inputBits: 16, isFloat: false) == 1)
    #expect(
      DSPPacking.macsPerDSP(weightBits: 18, inputBits: 25, isFloat: false) == 1)
    #expect(
      DSPPacking.macsPerDSP(weightBits: 32, inputBits: 32, isFloat: false)
        == 0.25)
    #expect(
      DSPPacking.macsPerDSP(weightBits: 32, inputBits: 32, isFloat: true) == 0.5
    )
  }

  @Test func technologyScalingKeepsDRAM() throws {
    let device = try #require(Devices.load("eyeriss-v1"))
    let scaled = device.scaled(toNanometres: 28)
    #expect(scaled.memory[0].energy == device.memory[0].energy)
    #expect(
      scaled.memory[1].energy.readPerBit < device.memory[1].energy.readPerBit)
    #expect(
      (scaled.compute.macEnergy[.int16] ?? 0)
        < (device.compute.macEnergy[.int16] ?? 0))
  }

  @Test func tileCandidates() {
    #expect(TileSearch.candidates(extent: 56) == [56, 28, 14, 7, 4, 2, 1])
    #expect(TileSearch.candidates(extent: 1) == [1])
    #expect(TileSearch.candidates(extent: 3) == [3, 2, 1])
  }

  @Test func refetchFollowsLoopOrder() {
    let nest = LoopNest(
      outputChannels: 8, inputChannels: 8, outputRows: 8, outputColumns: 8,
      kernelRows: 3, kernelColumns: 3)
    let bits = OperandBits(
      weights: 8, inputs: 8, outputs: 8, partialSumBits: 32)
    let tile = TileShape(m: 4, c: 8, p: 4, q: 8)
    // M outermost, P inner: weights stay (irrelevant P innermost), inputs
    // come twice (once per M tile).
    let mp = Tiling(nest: nest, tile: tile, order: [.m, .p])
    #expect(mp.refetchFactor(of: .weights) == 1)
    #expect(mp.refetchFactor(of: .inputs) == 2)
    let pm = Tiling(nest: nest, tile: tile, order: [.p, .m])
    #expect(pm.refetchFactor(of: .weights) == 2)
    #expect(pm.refetchFactor(of: .inputs) == 1)
    // Splitting C outside P spills partial sums once.
    let split = Tiling(
      nest: nest, tile: TileShape(m: 8, c: 4, p: 4, q: 8), order: [.c, .p])
    let traffic = split.traffic(nest: nest, bits: bits)
    #expect(traffic.partialSumsIn == 8 * 8 * 8 * 32)
    #expect(traffic.outputsOut == 8 * 8 * 8 * (8 + 32))
  }

  @Test func rowStationaryMatchesEyerissActivePEs() throws {
    // AlexNet CONV1 (JSSC 2017 Table V: 154 active PEs of 168).
    let device = try #require(Devices.load("eyeriss-v1"))
    let conv1 = Networks.singleConv(
      channels: 3, filters: 96, size: 227, kernel: 11, stride: 4)
    let summary = try #require(Simulator.run(conv1, on: device).summary)
    let layer = try #require(summary.layers.first)
    #expect(abs(layer.spatialUtilization - 154.0 / 168.0) < 0.02)
  }
}
