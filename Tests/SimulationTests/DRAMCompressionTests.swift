import HardwareModel
import NetworkGraph
import Simulation
import Testing

/// Coding DRAM traffic (`DRAMCompression`) on every bundled device.
@Suite struct DRAMCompressionTests {
  static let sparse = DRAMCompression(
    weights: SparseWeightCoding(
      defaults: .init(density: 0.3, indexBits: 4, clusterBits: 5),
      layers: ["fc": .init(density: 0.1, indexBits: 4, clusterBits: 4)]),
    activations: RunLengthCoding(
      pairsPerWord: 4, defaultDensity: 0.4, densities: ["conv1": 0.3]))

  static func run(_ device: Device, _ compression: DRAMCompression?)
    -> RunSummary?
  {
    Simulator.run(
      Networks.smallCNN(batch: 2), on: device,
      options: SimulationOptions(
        precision: .uniform(.int8), batch: 2, compression: compression)
    ).summary
  }

  /// Codes that would not shrink a tensor fall back to raw, so coding at
  /// density 1 changes nothing but the report.
  @Test(arguments: Devices.bundledNames)
  func denseDataIsSentRaw(_ name: String) throws {
    let device = try #require(Devices.load(name))
    guard let raw = Self.run(device, nil) else { return }  // int8 unsupported
    let dense = DRAMCompression(
      weights: SparseWeightCoding(defaults: .init(density: 1, indexBits: 4)),
      activations: RunLengthCoding(defaultDensity: 1))
    let coded = try #require(Self.run(device, dense))
    #expect(coded.totals == raw.totals)
    #expect(coded.compression == "weights sparse, activations RLC")
    #expect(raw.compression == nil)
    for layer in coded.layers {
      #expect(layer.dramCoding == DRAMScale.raw, "\(layer.name)")
    }
  }

  /// Coding only shrinks what crosses the DRAM port: never more bytes,
  /// never slower, and each layer's factors are in (0, 1].
  @Test(arguments: Devices.bundledNames)
  func codingNeverAddsTrafficOrTime(_ name: String) throws {
    let device = try #require(Devices.load(name))
    guard let raw = Self.run(device, nil) else { return }
    let coded = try #require(Self.run(device, Self.sparse))
    #expect(coded.totals.dramBytes <= raw.totals.dramBytes)
    #expect(coded.totals.latency <= raw.totals.latency * (1 + 1e-12))
    for (c, r) in zip(coded.layers, raw.layers) {
      let scale = try #require(c.dramCoding)
      for f in [scale.weights, scale.inputs, scale.outputs] {
        #expect(f > 0 && f <= 1, "\(c.name)")
      }
      #expect(c.dramBytes <= r.dramBytes, "\(c.name)")
      // Weights read once per layer shrink by exactly their factor.
      if let rw = r.dramRead[.weights], rw > 0, c.name == "fc" {
        let cw = Double(c.dramRead[.weights] ?? 0)
        #expect(abs(cw - Double(rw) * scale.weights) <= 1, "\(c.name)")
      }
    }
  }

  /// The factors follow the formulas: the classifier's weights at
  /// density 0.1 with 4-bit indices and 4-bit clusters, int8.
  @Test func classifierWeightFactor() throws {
    let device = try #require(Devices.load("systolic-32x32"))
    let coded = try #require(Self.run(device, Self.sparse))
    let fc = try #require(coded.layers.first { $0.name == "fc" })
    let coding = try #require(Self.sparse.weights)
    let expected =
      coding.codedBits(elements: 32 * 10, weightBits: 8, layer: "fc")
      / (32 * 10 * 8)
    #expect(abs((fc.dramCoding?.weights ?? 0) - min(1, expected)) < 1e-12)
    // conv1 writes the tensor listed at 0.3 (four 13-bit pairs per 64-bit
    // word: 16 bits per pair).
    let conv1 = try #require(coded.layers.first { $0.name == "conv1" })
    let rlc = try #require(Self.sparse.activations)
    let at03 =
      rlc.codedBits(elements: 1000, activationBits: 8, density: 0.3)
      / (1000 * 8)
    #expect(abs(at03 - 0.6) < 1e-4)  // runs beyond 31 zeros: (0.7)^32
    #expect(abs((conv1.dramCoding?.outputs ?? 0) - at03) < 1e-9)
    #expect(conv1.dramCoding?.inputs == 1)  // the network's input is dense
  }

  @Test func valuesTooWideForTheLevelFieldAreAnError() throws {
    let device = try #require(Devices.load("eyeriss-v1"))
    let narrow = DRAMCompression(
      activations: RunLengthCoding(levelBits: 8, defaultDensity: 0.5))
    let outcome = Simulator.run(
      Networks.smallCNN(), on: device,
      options: SimulationOptions(
        precision: .uniform(.int16), compression: narrow))
    guard case .infeasible(let reason, let layer) = outcome else {
      Issue.record("expected a failure, got \(outcome)")
      return
    }
    #expect(reason.contains("8 bits"))
    #expect(layer == "conv1")
  }
}
