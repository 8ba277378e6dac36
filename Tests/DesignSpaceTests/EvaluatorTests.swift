import DesignSpace
import Evaluation
import Foundation
import HardwareModel
import NetworkGraph
import PrecisionModel
import Simulation
import Testing

/// The one evaluation pipeline: what `simulate` and a sweep point run.
@Suite struct EvaluatorTests {
  /// Without samples, an evaluation is the simulator's run, events and all.
  @Test func anEvaluationIsTheSimulatorsRun() throws {
    let device = try PointEvaluatorTests.device("eyeriss-v1")
    let network = try PointEvaluatorTests.network("alexnet")
    var options = SimulationOptions()
    options.batch = 2
    var sink = RecordingTraceSink()
    let direct = Simulator.run(
      network, on: device, options: options, trace: &sink)
    let outcome = try Evaluator.evaluate(
      EvaluationRequest(network: network, device: device, options: options)
    ).get()
    #expect(direct.summary == outcome.summary)
    #expect(sink.events == outcome.events)
    #expect(outcome.accuracy == nil)
  }

  /// A sweep point's simulation goes through the same pipeline.
  @Test func aSweepPointIsEvaluatedByThePipeline() throws {
    let device = try PointEvaluatorTests.device("systolic-32x32")
    let network = try PointEvaluatorTests.network("lenet5")
    var point = DesignPoint(index: 0, model: "m", device: "d", batch: 3)
    point.hardware = [HardwareOverride(parameter: .arraySize, value: 16)]
    guard
      case .completed(let summary) = PointEvaluator.simulate(
        point, network: network, device: device)
    else {
      Issue.record("the point did not simulate")
      return
    }
    var options = SimulationOptions()
    options.batch = 3
    let overridden = try point.applyingOverrides(to: device).get()
    let outcome = try Evaluator.evaluate(
      EvaluationRequest(network: network, device: overridden, options: options)
    ).get()
    #expect(summary == outcome.summary)
  }

  /// Densities to measure need samples: a failure, not a silent default.
  @Test func measuredDensitiesWithoutSamplesFail() throws {
    let device = try PointEvaluatorTests.device("eyeriss-v1")
    let network = try PointEvaluatorTests.network("alexnet")
    var options = SimulationOptions()
    options.compression = DRAMCompression(
      activations: RunLengthCoding(defaultDensity: 0.5))
    let result = Evaluator.evaluate(
      EvaluationRequest(
        network: network, device: device, options: options,
        measuresActivationDensities: true))
    guard case .failure(.noSamplesToMeasure) = result else {
      Issue.record("expected noSamplesToMeasure, got \(result)")
      return
    }
  }

  /// An infeasible run names its reason.
  @Test func anInfeasibleRunIsAFailureWithItsReason() throws {
    let device = try PointEvaluatorTests.device("systolic-32x32")
    let network = try PointEvaluatorTests.network("lenet5")
    var options = SimulationOptions()
    options.precision = .uniform(.fp32)
    let result = Evaluator.evaluate(
      EvaluationRequest(network: network, device: device, options: options))
    guard case .failure(.infeasible(let reason, _)) = result else {
      Issue.record("expected an infeasible run, got \(result)")
      return
    }
    #expect(!reason.isEmpty)
  }
}

/// One accumulator rule, whichever way the widths come (issue #14): a
/// shorthand, a sweep's bits, and a precision file's layer agree.
@Suite struct AccumulatorRuleTests {
  @Test(arguments: [2, 4, 6, 8, 12, 16, 20, 32])
  func everyRouteGivesTheSameAccumulator(bits: Int) {
    let rule = AccumulatorRule.bits(
      weightBits: bits, inputBits: bits, isFloat: false)
    #expect(DesignPoint.accumulatorBits(for: bits) == rule)
    if let precision = Precision.allCases.first(where: {
      $0.bits == bits && !$0.isFloatingPoint
    }) {
      #expect(LayerWidths(precision: precision).accumulatorBits == rule)
    }
  }

  @Test func theRuleItself() {
    #expect(
      AccumulatorRule.bits(weightBits: 4, inputBits: 4, isFloat: false) == 16)
    #expect(
      AccumulatorRule.bits(weightBits: 4, inputBits: 8, isFloat: false) == 32)
    #expect(
      AccumulatorRule.bits(weightBits: 8, inputBits: 8, isFloat: false) == 32)
    #expect(
      AccumulatorRule.bits(weightBits: 16, inputBits: 16, isFloat: false) == 32)
    #expect(
      AccumulatorRule.bits(weightBits: 20, inputBits: 20, isFloat: false) == 40)
    #expect(
      AccumulatorRule.bits(weightBits: 16, inputBits: 16, isFloat: true) == 16)
    #expect(AccumulatorRule.bits(for: .fp32) == 32)
    #expect(AccumulatorRule.bits(for: .int4) == 16)
  }
}
