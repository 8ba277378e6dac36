import Mapping
import NetworkGraph
import TestSupport
import Testing

/// Layers from networks: MACs per layer, fusion, views, the batch, overflow.
@Suite struct LayerExtractionTests {
  static func byName(_ layers: [Layer]) -> [String: Layer] {
    Dictionary(uniqueKeysWithValues: layers.map { ($0.name, $0) })
  }

  /// The hand counts of NetworkGraphTests' LeNet-5, layer by layer: conv1
  /// 6·28·28 outputs × 1·5·5, conv2 16·10·10 × 6·5·5, then the FC layers.
  @Test func leNet5MACsPerLayer() throws {
    let network = try TestNetworks.leNet5()
    let layers = try LayerExtraction.layers(of: network)
    let named = Self.byName(layers)
    #expect(layers.map(\.name) == network.nodes.map(\.name))
    #expect(named["conv1"]?.macs == 117_600)
    #expect(named["conv2"]?.macs == 240_000)
    #expect(named["fc1"]?.macs == 48_000)
    #expect(named["fc2"]?.macs == 10_080)
    #expect(named["fc3"]?.macs == 840)
    #expect(layers.compactMap(\.macs).reduce(0, +) == 416_520)
    // The same figures as the network's own counts (Counting.md).
    let counts = try network.counts()
    for entry in counts.entries {
      #expect(named[entry.node.name]?.macs == entry.counts.macs)
    }
  }

  @Test func leNet5NestsKindsAndFusion() throws {
    let named = Self.byName(
      try LayerExtraction.layers(of: TestNetworks.leNet5()))
    let conv1 = try #require(named["conv1"]?.nest)
    #expect(conv1.outputChannels == 6 && conv1.inputChannels == 1)
    #expect(conv1.outputRows == 28 && conv1.outputColumns == 28)
    #expect(conv1.kernelRows == 5 && conv1.kernelColumns == 5)
    #expect(conv1.inputRows == 32 && conv1.inputColumns == 32)
    #expect(named["conv1"]?.weightElements == 150)
    #expect(named["conv1"]?.operatorClass == .conv)
    let fc1 = try #require(named["fc1"]?.nest)
    #expect(fc1.batch == 1 && fc1.inputChannels == 400)
    #expect(fc1.outputChannels == 120)
    #expect(named["fc1"]?.operatorClass == .gemm)
    // ReLUs after a MAC layer with one reader are fused into it and write
    // nothing of their own; the pool that follows reads the activated conv.
    #expect(named["relu1"]?.fusedInto == "conv1")
    #expect(named["relu1"]?.output.name == "a1")
    #expect(named["relu3"]?.fusedInto == "fc1")
    #expect(named["pool1"]?.inputs.map(\.name) == ["a1"])
    #expect(named["pool1"]?.work == .streaming(operations: 1_176 * 3))
    #expect(named["flatten"]?.work == .view)
    #expect(named["flatten"]?.macs == 0)
  }

  /// torchvision's AlexNet: 0.71 GMACs (its published "GFLOPS", which
  /// Counting.md explains are fvcore MACs), layer by layer.
  @Test func alexNetMACsPerLayer() throws {
    let layers = try LayerExtraction.layers(of: Networks.alexNet())
    let named = Self.byName(layers)
    let expected: [String: Int] = [
      "conv1": 64 * 55 * 55 * 3 * 11 * 11,  // 70,276,800
      "conv2": 192 * 27 * 27 * 64 * 5 * 5,  // 223,948,800
      "conv3": 384 * 13 * 13 * 192 * 3 * 3,  // 112,140,288
      "conv4": 256 * 13 * 13 * 384 * 3 * 3,  // 149,520,384
      "conv5": 256 * 13 * 13 * 256 * 3 * 3,  // 99,680,256
      "fc6": 9216 * 4096, "fc7": 4096 * 4096, "fc8": 4096 * 1000,
    ]
    for (name, macs) in expected {
      #expect(named[name]?.macs == macs, "\(name)")
    }
    #expect(layers.compactMap(\.macs).reduce(0, +) == 714_188_480)
    let conv1 = try #require(named["conv1"]?.nest)
    #expect(conv1.strideRows == 4 && conv1.strideColumns == 4)
    // Padding is never fetched: the nest keeps the unpadded 224 input.
    #expect(conv1.inputRows == 224)
    #expect(named["fc6"]?.weightElements == 9216 * 4096)
  }

  @Test(arguments: [2, 4, 32])
  func batchMultipliesEveryCount(_ batch: Int) throws {
    let network = try TestNetworks.leNet5()
    let one = try LayerExtraction.layers(of: network)
    let many = try LayerExtraction.layers(of: network, batch: batch)
    #expect(one.count == many.count)
    for (a, b) in zip(one, many) {
      #expect(b.macs == a.macs.map { $0 * batch }, "\(a.name)")
      #expect(b.nest?.batch == a.nest.map { $0.batch * batch }, "\(a.name)")
      #expect(b.output.elements == a.output.elements * batch, "\(a.name)")
      #expect(b.inputs.map(\.elements) == a.inputs.map { $0.elements * batch })
      #expect(b.otherOperations == a.otherOperations * batch, "\(a.name)")
      // Weights are read once per batch, not once per item.
      #expect(b.weightElements == a.weightElements, "\(a.name)")
    }
  }

  @Test func batchBelowOneCountsAsOne() throws {
    let network = try TestNetworks.leNet5()
    #expect(
      try LayerExtraction.layers(of: network, batch: 0)
        == LayerExtraction.layers(of: network))
  }

  /// Elements times the batch beyond Int: an error naming the node.
  @Test func elementOverflowNamesTheNode() throws {
    let network = try Networks.singleConv(
      input: [1, 1, 1024, 1024], weight: [1, 1, 1, 1])
    #expect(throws: NetworkError.self) {
      try LayerExtraction.layers(of: network, batch: 1 << 44)
    }
    do {
      _ = try LayerExtraction.layers(of: network, batch: 1 << 44)
    } catch {
      guard case .overflow = error else {
        Issue.record("expected an overflow, got \(error)")
        return
      }
      #expect(error.node?.name == "big")
      #expect(error.message.contains("batch"))
    }
  }

  /// Elements that fit but multiply-accumulates that do not: still an error
  /// naming the node, never a wrapped or zero count.
  @Test func macOverflowNamesTheNode() throws {
    let network = try Networks.singleConv(
      input: [1, 4096, 64, 64], weight: [4096, 4096, 11, 11])
    // At batch 2^20 the count fits (about 2^62.5 MACs)...
    let fits = try LayerExtraction.layers(of: network, batch: 1 << 20)
    #expect((fits.first?.macs ?? 0) > 0)
    // ...at 2^21 it does not.
    do {
      _ = try LayerExtraction.layers(of: network, batch: 1 << 21)
      Issue.record("no error at batch 2^21")
    } catch {
      #expect(error.node?.name == "big")
      #expect(error.message.contains("multiply-accumulates"))
    }
  }
}
