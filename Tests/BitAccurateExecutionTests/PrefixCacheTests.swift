import BitAccurateExecution
import FixedPointArithmetic
import NetworkGraph
import PrecisionModel
import TestSupport
import Testing

/// Runs resumed from the live tensors of another plan's run
/// (``FixedPointState``, ``PrefixCache``) compute the bits a run from the
/// input computes (issue #19 item 3).
@Suite struct PrefixCacheTests {
  /// The calibrated plan, and one plan per calibrated layer and offset with
  /// that layer's activation fl moved: a per-layer fl sweep.
  static func plans(_ network: Network, _ data: FloatTensor) throws -> (
    base: PrecisionPlan, variants: [PrecisionPlan]
  ) {
    let calibration = try Calibrator.calibrate(
      network: network, data: data, configuration: CalibrationConfiguration())
    var variants: [PrecisionPlan] = []
    for layer in calibration.layers {
      guard let activation = layer.activation else { continue }
      for offset in [-1, 1] {
        var plan = calibration.plan
        var entry = plan.entry(named: layer.name) ?? LayerPrecision()
        entry.activation = FormatSpec(
          bits: activation.bits,
          fractionalLength: activation.fractionalLength + offset)
        plan.setEntry(entry, for: layer.name)
        variants.append(plan)
      }
    }
    return (calibration.plan, variants)
  }

  @Test(arguments: ["digits-plain", "digits-dwsep"])
  func resumedRunsEqualRunsFromTheInput(model: String) throws {
    let network = try Fixtures.model(model)
    let (images, _) = try Fixtures.testSplit()
    // 100 samples: more than one chunk of an outputs-only run.
    let data = BatchSlicesForTests.first(100, of: images)
    let (plan, variants) = try Self.plans(network, data)
    let base = try FixedPointExecutor(network: network, plan: plan)
    let cache = PrefixCache(input: data, budget: 64 << 20)
    var resumedAt: [Int] = []
    for variant in variants {
      let fresh = try FixedPointExecutor(network: network, plan: variant)
      let expected = try fresh.run(input: data, retaining: .outputs).outputs
      let revised = try base.revised(
        precision: try variant.resolve(for: network))
      let start = revised.firstDifference(from: base)
      // 0 for the first layer: nothing before it to reuse.
      #expect(start < network.nodes.count)
      #expect(revised.firstDifference(from: fresh) == network.nodes.count)
      resumedAt.append(start)
      #expect(try cache.outputs(of: revised, keepingStateAt: start) == expected)
      // Again, now from the state this run kept.
      #expect(try cache.outputs(of: revised, keepingStateAt: start) == expected)
      // A fresh executor of the same plan resumes alike.
      #expect(try cache.outputs(of: fresh, keepingStateAt: nil) == expected)
    }
    // Every later call of a variant that does not change the first layer
    // resumes (the second from its own state, the third too).
    let resumable = resumedAt.filter { $0 > 0 }.count
    #expect(resumable > 0)
    #expect(cache.counts.hits >= 2 * resumable)
    #expect(Set(resumedAt).count > 2)
  }

  @Test func noBudgetKeepsNothingAndGivesTheSameOutputs() throws {
    let network = try Fixtures.model("digits-dwsep")
    let (images, _) = try Fixtures.testSplit()
    let data = BatchSlicesForTests.first(40, of: images)
    let (plan, variants) = try Self.plans(network, data)
    let base = try FixedPointExecutor(network: network, plan: plan)
    for budget in [0, 1] {
      let cache = PrefixCache(input: data, budget: budget)
      for variant in variants {
        let revised = try base.revised(
          precision: try variant.resolve(for: network))
        let expected = try FixedPointExecutor(network: network, plan: variant)
          .run(input: data, retaining: .outputs).outputs
        #expect(
          try cache.outputs(
            of: revised, keepingStateAt: revised.firstDifference(from: base))
            == expected)
      }
      #expect(cache.counts.hits == 0)
    }
  }

  /// A state reached under one plan, continued by an executor that agrees
  /// on the nodes before it, ends where a whole run of that executor ends.
  @Test func stateContinuesUnderARevisedPlan() throws {
    let network = try Fixtures.model("digits-dwsep")
    let (images, _) = try Fixtures.testSplit()
    let data = BatchSlicesForTests.first(10, of: images)
    let (plan, variants) = try Self.plans(network, data)
    let base = try FixedPointExecutor(network: network, plan: plan)
    for variant in variants {
      let other = try FixedPointExecutor(network: network, plan: variant)
      let split = other.firstDifference(from: base)
      var state = try base.start(input: data)
      try base.advance(&state, to: split)
      #expect(state.position == split)
      let outputs = try other.finish(state)
      #expect(outputs == (try other.run(input: data, keepWide: false).outputs))
      // Past the split the plans differ: base's state does not continue
      // other's run (the test would not notice a wrong split otherwise).
      var late = try base.start(input: data)
      try base.advance(&late, to: network.nodes.count - 1)
      if split < network.nodes.count - 1 {
        #expect(try other.finish(late) != outputs)
      }
    }
  }
}

/// The first samples of a batch.
enum BatchSlicesForTests {
  static func first(_ count: Int, of tensor: FloatTensor) -> FloatTensor {
    let per = tensor.values.count / tensor.shape[0]
    var shape = tensor.shape
    shape[0] = count
    return
      (try? FloatTensor(
        shape: shape, values: Array(tensor.values.prefix(count * per))))
      ?? tensor
  }
}
