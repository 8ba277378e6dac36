import Diagnostics
import Testing
import WeightCompression

/// Plans merged key by key, and whole layers through the pipeline.
@Suite struct CompressorTests {
  func entry(_ body: (inout PlanEntry) -> Void) -> PlanEntry {
    var e = PlanEntry()
    body(&e)
    return e
  }

  @Test func plansOverrideKeyByKey() {
    let plan = CompressionPlan(
      defaults: entry {
        $0.density = .set(0.5, nil)
        $0.clusterBits = .set(5, nil)
        $0.huffman = .set(true, nil)
      },
      layers: [
        .init(
          name: "a", location: nil,
          entry: entry { $0.ternary = .set(.twn, nil) }),
        .init(
          name: "b", location: nil, entry: entry { $0.density = .remove }),
      ])
    let a = plan.settings(for: "a")
    #expect(a.clusterBits == nil)
    #expect(a.ternary == .twn)
    #expect(a.density == 0.5)
    #expect(a.huffman)
    let b = plan.settings(for: "b")
    #expect(b.density == nil)
    #expect(b.clusterBits == 5)
    #expect(plan.settings(for: "c").clusterBits == 5)
  }

  /// Density 0.5 of 8 keeps 4; sharing at 2 bits; p = 4 (Conv): entries
  /// 4, sparse 4 · 6 = 24 < dense 8 · 2 = 16? no: dense wins at 16.
  @Test func oneLayerThroughThePipeline() {
    let layer = WeightLayer(
      name: "conv", kind: .conv, shape: [2, 1, 2, 2],
      weights: [0.1, -0.8, 0.7, 0.05, 0.2, -0.9, 0.01, 0.3], biasElements: 2,
      positions: 10)
    var defaults = PlanEntry()
    defaults.density = .set(0.5, nil)
    defaults.clusterBits = .set(2, nil)
    let outcome = Compressor.compress(
      [layer], plan: CompressionPlan(defaults: defaults))
    let part = outcome.storedLayers[0]
    #expect(part.nonzeros == 4)
    #expect(part.entries == 4)
    #expect(part.fillers == 0)
    #expect(part.indexBits == 4)
    #expect(part.valueBits == 2)
    #expect(part.form == .dense)
    #expect(part.codebookBits == 96)
    #expect(part.storedBits == 16 + 96)
    #expect(outcome.network.rawBits == (8 + 2) * 32)
    #expect(outcome.network.storedBits == 112 + 64)
    #expect(outcome.network.macsBefore == 80)
    #expect(outcome.network.macsNonzero == 40)
    // Kept: -0.8, 0.7, -0.9, 0.3 → K = 3 from init -0.9, -0.3, 0.7.
    #expect(part.decoded[0] == 0)
    #expect(part.decoded[1] == part.decoded[5])
  }

  @Test func planProblemsAreLocated() {
    let layer = WeightLayer(
      name: "fc1", kind: .gemm, shape: [4, 3],
      weights: Array(repeating: 1, count: 12))
    var big = PlanEntry()
    let at = SourceLocation(file: "p.yaml", line: 3, column: 9)
    big.lowRank = .set(.rank(4), at)
    let plan = CompressionPlan(layers: [
      .init(name: "fc1", location: nil, entry: big),
      .init(
        name: "fc2",
        location: SourceLocation(file: "p.yaml", line: 4, column: 3),
        entry: PlanEntry()),
    ])
    let problems = plan.problems(for: [layer])
    #expect(problems.count == 2)
    #expect(problems[0].location == at)
    #expect(problems[0].message.contains("rank 4"))
    #expect(problems[1].message.contains("'fc2'"))
    #expect(problems[1].hint == "did you mean 'fc1'?")
  }

  /// A network-wide rank leaves layers it cannot apply to whole, with a
  /// warning at the defaults' key; a rank that saves no MACs likewise.
  @Test func networkWideRankWarnsAndLeavesLayersWhole() {
    let depthwise = WeightLayer(
      name: "dw", kind: .conv, shape: [2, 1, 1, 2], weights: [1, 2, 3, 4],
      group: 2)
    let small = WeightLayer(
      name: "fc", kind: .gemm, shape: [2, 2], weights: [1, 0, 0, 1])
    var defaults = PlanEntry()
    let at = SourceLocation(file: "p.yaml", line: 1, column: 19)
    defaults.lowRank = .set(.rank(1), at)
    let plan = CompressionPlan(defaults: defaults)
    #expect(plan.problems(for: [depthwise, small]).isEmpty)
    let outcome = Compressor.compress([depthwise, small], plan: plan)
    #expect(outcome.storedLayers.map(\.name) == ["dw", "fc"])
    #expect(outcome.warnings.count == 2)
    #expect(outcome.warnings.allSatisfy { $0.location == at })
    #expect(outcome.warnings[1].message.contains("would not reduce"))
  }
}
