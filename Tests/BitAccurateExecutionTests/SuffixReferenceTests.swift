import BitAccurateExecution
import FixedPointArithmetic
import NetworkGraph
import PrecisionModel
import TestSupport
import Testing

/// Runs that stop a chunk once its live tensors meet the calibrated plan's
/// run (``SuffixReference``) give the outputs of a run from the input
/// (issue #19 item 3).
@Suite struct SuffixReferenceTests {
  /// The calibrated plan, and per calibrated layer the plans with its
  /// weight fl and its activation fl moved by −1 and +1, and the plan with
  /// its accumulator saturating at each step (the same values unless a
  /// partial sum overflows: runs meet the calibrated plan's after it).
  static func plans(_ network: Network, _ data: FloatTensor) throws -> (
    base: PrecisionPlan, variants: [PrecisionPlan]
  ) {
    let calibration = try Calibrator.calibrate(
      network: network, data: data, configuration: CalibrationConfiguration())
    var variants: [PrecisionPlan] = []
    for layer in calibration.layers {
      if layer.weight != nil {
        var plan = calibration.plan
        var entry = plan.entry(named: layer.name) ?? LayerPrecision()
        entry.accumulator = AccumulatorSpec(
          bits: nil, policy: .saturateEachStep)
        plan.setEntry(entry, for: layer.name)
        variants.append(plan)
      }
      for offset in [-1, 1] {
        var entry =
          calibration.plan.entry(named: layer.name) ?? LayerPrecision()
        if let weight = layer.weight {
          var plan = calibration.plan
          entry.weight = FormatSpec(
            bits: weight.bits,
            fractionalLength: weight.fractionalLength + offset)
          plan.setEntry(entry, for: layer.name)
          variants.append(plan)
        }
        entry = calibration.plan.entry(named: layer.name) ?? LayerPrecision()
        if let activation = layer.activation {
          var plan = calibration.plan
          entry.activation = FormatSpec(
            bits: activation.bits,
            fractionalLength: activation.fractionalLength + offset)
          plan.setEntry(entry, for: layer.name)
          variants.append(plan)
        }
      }
    }
    return (calibration.plan, variants)
  }

  @Test(arguments: ["digits-plain", "digits-dwsep"])
  func convergedRunsEqualRunsFromTheInput(model: String) throws {
    let network = try Fixtures.model(model)
    let (images, _) = try Fixtures.testSplit()
    // 70 samples: several chunks, each meeting the reference or not.
    let data = BatchSlicesForTests.first(70, of: images)
    let (plan, variants) = try Self.plans(network, data)
    let base = try FixedPointExecutor(network: network, plan: plan)
    for budget in [0, 64 << 20] {
      let cache = PrefixCache(input: data, budget: budget)
      let reference = try #require(
        SuffixReference(
          executor: base, input: data, ranges: cache.chunkRanges(base)))
      #expect(
        reference.outputs
          == (try base.run(input: data, retaining: .outputs).outputs))
      for variant in variants {
        let revised = try base.revised(
          precision: try variant.resolve(for: network))
        let expected = try FixedPointExecutor(network: network, plan: variant)
          .run(input: data, retaining: .outputs).outputs
        let outputs = try cache.outputs(
          of: revised, keepingStateAt: revised.firstDifference(from: base),
          convergingTo: reference)
        #expect(outputs == expected)
      }
      // Some runs met the reference before the end of the network (the
      // accumulator variants).
      let tallies = cache.convergence.values
      #expect(tallies.reduce(0) { $0 + $1.converged } > 0)
      #expect(tallies.allSatisfy { $0.converged <= $0.chunks })
    }
  }

  /// The first boundary after which two executors run the same nodes.
  @Test func convergenceStartsAfterTheLastChangedNode() throws {
    let network = try Fixtures.model("digits-plain")
    let (images, _) = try Fixtures.testSplit()
    let data = BatchSlicesForTests.first(10, of: images)
    let (plan, variants) = try Self.plans(network, data)
    let base = try FixedPointExecutor(network: network, plan: plan)
    #expect(base.convergence(from: base) == 0)
    for variant in variants {
      let revised = try base.revised(
        precision: try variant.resolve(for: network))
      let departure = revised.firstDifference(from: base)
      let from = revised.convergence(from: base)
      #expect(from > departure)
      #expect(from <= network.nodes.count)
    }
  }
}
