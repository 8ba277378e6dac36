import BitAccurateExecution
import FixedPointArithmetic
import NetworkGraph
import PrecisionModel
import TestSupport
import Testing

/// A run that retains only the graph outputs computes the same bits as a
/// run that retains everything, and keeps nothing else.
@Suite struct RetentionTests {
  @Test(arguments: ["digits-plain", "digits-dwsep"])
  func outputsOnlyRunMatchesFullRun(model: String) throws {
    let network = try Fixtures.model(model)
    let input = try Fixtures.tensor(
      "Tests/Fixtures/onnxruntime/\(model)/input.npy")
    let calibration = try Calibrator.calibrate(
      network: network, data: input, configuration: CalibrationConfiguration())
    let executor = try FixedPointExecutor(
      network: network, plan: calibration.plan)
    let full = try executor.run(input: input, retaining: .everything)
    let legacy = try executor.run(input: input, keepWide: true)
    let tensors = try executor.run(input: input, retaining: .tensors)
    let outputs = try executor.run(input: input, retaining: .outputs)

    #expect(!full.outputs.isEmpty)
    #expect(outputs.outputs == full.outputs)
    #expect(outputs.events == full.events)
    #expect(outputs.inputEvents == full.inputEvents)
    #expect(tensors.outputs == full.outputs)
    #expect(tensors.tensors == full.tensors)
    #expect(tensors.wide.isEmpty)
    #expect(legacy.tensors == full.tensors)
    #expect(legacy.wide == full.wide)
    #expect(!full.wide.isEmpty)
    // Released intermediates are not reachable from the run.
    #expect(outputs.tensors.isEmpty)
    #expect(outputs.wide.isEmpty)
    #expect(outputs.inputs.isEmpty)
    // The outputs equal the graph-output tensors of the full run.
    #expect(outputs.outputs == network.outputs.compactMap { full.tensors[$0] })
  }

  /// An outputs-only run of more samples than a chunk goes through the
  /// network in chunks on every core; its outputs and events equal one
  /// whole-batch run's for every rounding (stochastic samples are counted
  /// from the sample's index in the whole batch) and accumulator policy,
  /// with a last chunk shorter than the others.
  @Test(
    arguments: [
      (RoundingMode.halfUp, AccumulatorSpec()),
      (.floor, AccumulatorSpec()),
      (.halfEven, AccumulatorSpec()),
      (.stochastic, AccumulatorSpec()),
      (.halfUp, AccumulatorSpec(bits: 12, policy: .wrap)),
      (.halfUp, AccumulatorSpec(bits: 12, policy: .saturateFinal)),
      (.stochastic, AccumulatorSpec(bits: 14, policy: .saturateEachStep)),
    ])
  func chunkedRunMatchesWholeBatch(
    rounding: RoundingMode, accumulator: AccumulatorSpec
  ) throws {
    let (images, _) = try Fixtures.testSplit()
    let count = 3 * 16 + 5
    let input = try FloatTensor(
      shape: [count] + images.shape.dropFirst(),
      values: Array(images.values.prefix(count * 64)))
    for model in ["digits-plain", "digits-dwsep"] {
      let network = try Fixtures.model(model)
      var plan = try Calibrator.calibrate(
        network: network, data: input,
        configuration: CalibrationConfiguration(method: .ristretto)
      ).plan
      plan.defaults.rounding = rounding
      plan.defaults.accumulator = accumulator
      for index in plan.layers.indices {
        plan.layers[index].precision.rounding = nil
        plan.layers[index].precision.accumulator = nil
      }
      let executor = try FixedPointExecutor(network: network, plan: plan)
      let whole = try executor.run(input: input, retaining: .everything)
      let chunked = try executor.run(input: input, retaining: .outputs)
      var serial = executor
      serial.concurrency = 1
      let oneCore = try serial.run(input: input, retaining: .outputs)

      #expect(chunked.outputs.first?.shape.first == count)
      #expect(chunked.outputs == whole.outputs, "\(model)")
      #expect(chunked.events == whole.events, "\(model)")
      #expect(chunked.inputEvents == whole.inputEvents)
      #expect(oneCore.outputs == whole.outputs)
      #expect(oneCore.events == whole.events)
      // Two runs of parts of the batch, each told where it starts, give the
      // whole batch's outputs (what `edgesim run --batch-size` relies on).
      let split = 20
      let parts = [0..<split, split..<count].map { range in
        (
          range,
          try? FloatTensor(
            shape: [range.count] + images.shape.dropFirst(),
            values: Array(
              input.values[(range.lowerBound * 64)..<(range.upperBound * 64)]))
        )
      }
      var joined: [Int64] = []
      for (range, part) in parts {
        let piece = try executor.run(
          input: try #require(part), keepWide: true,
          firstSample: range.lowerBound)
        guard case .fixed(let raw) = piece.outputs.first else {
          Issue.record("no fixed-point output")
          return
        }
        joined += raw.raws
      }
      guard case .fixed(let wholeRaw) = whole.outputs.first else {
        Issue.record("no fixed-point output")
        return
      }
      #expect(joined == wholeRaw.raws, "\(model) in two parts")
      if accumulator.bits != nil {
        // Narrow accumulators overflow, so the events compared are not all 0.
        #expect(
          whole.events.values.contains { $0.accumulator.elements.total > 0 })
      }
    }
  }

  /// The float executor's outputs-only run, in chunks over the cores,
  /// equals its whole-batch run bit for bit.
  @Test(arguments: ["digits-plain", "digits-dwsep"])
  func floatOutputsEqualTheWholeRun(model: String) throws {
    let network = try Fixtures.model(model)
    let (images, _) = try Fixtures.testSplit()
    let count = 3 * 32 + 7
    let input = try FloatTensor(
      shape: [count] + images.shape.dropFirst(),
      values: Array(images.values.prefix(count * 64)))
    let executor = try FloatExecutor(network: network, concurrency: 2)
    let whole = try executor.run(input: input)
    let chunked = try executor.outputs(input: input)
    #expect(chunked.first?.shape.first == count)
    #expect(chunked == whole.outputs)
  }

  /// Networks that mix samples are run whole, so chunking never changes
  /// their outputs: a Softmax across the batch (seen statically) and a
  /// Reshape that folds the batch into rows (seen as the chunks run).
  @Test(arguments: ["softmax", "reshape"])
  func networksThatMixSamplesRunWhole(kind: String) throws {
    let count = 70
    var network = Network(
      name: kind, inputs: [GraphInput(name: "x", shape: [count, 2, 2])])
    if kind == "softmax" {
      network.nodes = [
        Node(name: "s", op: .softmax(axis: 0), inputs: ["x"], outputs: ["y"])
      ]
    } else {
      try network.addInitializer(
        Tensor(name: "shape", shape: TensorShape([2]), integers: [-1, 8]))
      network.nodes = [
        Node(
          name: "r", op: .reshape(allowZero: false), inputs: ["x", "shape"],
          outputs: ["y"])
      ]
    }
    network.outputs = ["y"]
    var rng = SplitMix64(seed: 7)
    let input = try FloatTensor(
      shape: [count, 2, 2],
      values: (0..<(count * 4)).map { _ in Float.random(in: -2...2, using: &rng)
      }
    )
    let float = try FloatExecutor(network: network, concurrency: 2)
    #expect(try float.outputs(input: input) == float.run(input: input).outputs)

    let plan = PrecisionPlan(
      input: FormatSpec(bits: 8, fractionalLength: 5),
      defaults: LayerPrecision(
        activation: FormatSpec(bits: 8, fractionalLength: 6)))
    let fixed = try FixedPointExecutor(
      network: network, plan: plan, concurrency: 2)
    let whole = try fixed.run(input: input, retaining: .everything)
    let chunked = try fixed.run(input: input, retaining: .outputs)
    #expect(chunked.outputs == whole.outputs)
    #expect(chunked.events == whole.events)
  }
}
