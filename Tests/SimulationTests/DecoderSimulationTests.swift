import HardwareModel
import NetworkGraph
import Simulation
import Testing

/// Issue #16 item 4: the decode average from the first and last steps
/// (trapezoid rule) against simulating every step.
@Suite struct DecoderSimulationTests {
  static let spec = DecoderSpec(
    name: "tiny", layers: 2, dModel: 256, heads: 4, kvHeads: 2, ffn: 1024,
    vocab: 4096, context: 256, prompt: 64, generate: 24, weightBits: 8,
    kvBits: 8, activationBits: 8)

  @Test func trapezoidMatchesEveryStep() throws {
    let device = try #require(Devices.load("pixel3-cpu"))
    let outcome = try DecoderSimulation.run(Self.spec, on: device).get()
    var seconds = 0.0
    var joules = 0.0
    for step in 0..<Self.spec.generate {
      let phase = try DecoderSimulation.phase(
        Self.spec, tokens: 1, cached: Self.spec.prompt + step, on: device,
        options: SimulationOptions()
      ).get()
      seconds += phase.summary.totals.latency
      joules += phase.summary.totals.energyPerInference
    }
    let n = Double(Self.spec.generate)
    let timeError =
      abs(outcome.decodeSecondsPerToken - seconds / n) / (seconds / n)
    let energyError =
      abs(outcome.decodeJoulesPerToken - joules / n) / (joules / n)
    #expect(timeError < 0.01, "\(timeError)")
    #expect(energyError < 0.01, "\(energyError)")
  }

  /// The decode network reads the cache as graph inputs of the whole
  /// length and writes this step's K and V as graph outputs.
  @Test func decodeNetworkReadsTheCacheAndWritesTheNewEntry() throws {
    let network = try DecoderNetwork.build(Self.spec, tokens: 1, cached: 70)
    let shapes = try network.inferShapes()
    #expect(shapes.shape(of: "l0.k_cache")?.dims == [2, 64, 71])
    #expect(shapes.shape(of: "l1.v_cache")?.dims == [2, 71, 64])
    #expect(shapes.shape(of: "lm_head")?.dims == [1, 4096])
    #expect(network.outputs.contains("l1.k_rope"))
    #expect(network.outputs.contains("l1.v_proj"))
    let counts = try network.counts()
    #expect(counts.total.parameters == Self.spec.parameters)
  }
}
