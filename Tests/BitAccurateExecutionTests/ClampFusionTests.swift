import BitAccurateExecution
import FixedPointArithmetic
import NetworkGraph
import PrecisionModel
import TestSupport
import Testing

/// A Relu or Clip fused into its producer gives the raws and events of the
/// separate node.
///
/// An outputs-only run applies a Relu or Clip that alone reads a Conv's,
/// Gemm's, MatMul's or aligned Add's output in that node's requantization
/// (issue #19); a full run runs each node on its own. Both give the same
/// outputs and the same events, on every kernel path, for every rounding
/// and accumulator policy, for every kind of Clip bound.
@Suite(.serialized) struct ClampFusionTests {
  /// x → Conv → Clip(0, 6) attributes → depthwise Conv, stride 2 →
  /// Clip(−0.5, 0.75) initializers → r2; r2 → 1×1 Conv → Relu → Add r2 →
  /// Clip(−1000, 1000) → Flatten → f; f → Gemm → Clip(max 0.3) → y;
  /// r2 → 1×1 Conv → Clip(1, 0.25) (min above max) → y2; f → MatMul →
  /// Clip(min −0.2) → y3.
  static func network(samples: Int) throws -> Network {
    var network = Network(
      name: "clamps",
      inputs: [GraphInput(name: "x", shape: [samples, 3, 8, 8])])
    var rng = SplitMix64(seed: 19_0719)
    func weights(_ name: String, _ shape: [Int], _ scale: Float) throws {
      let count = shape.reduce(1, *)
      try network.addInitializer(
        Tensor(
          name: name, shape: TensorShape(shape),
          values: (0..<count).map { _ in
            Float.random(in: -scale...scale, using: &rng)
          }))
    }
    try weights("w1", [4, 3, 3, 3], 0.5)
    try weights("b1", [4], 0.2)
    try weights("w2", [4, 1, 3, 3], 0.8)
    try weights("b2", [4], 0.2)
    try weights("w3", [4, 4, 1, 1], 0.5)
    try weights("w5", [2, 4, 1, 1], 0.9)
    try weights("w4", [64, 6], 0.3)
    try weights("b4", [6], 0.1)
    try weights("w6", [64, 3], 0.3)
    for (name, value) in [
      ("lo", -0.5), ("hi", 0.75), ("up", 1), ("down", 0.25),
    ] {
      try network.addInitializer(
        Tensor(name: name, shape: TensorShape([]), values: [Float(value)]))
    }
    let same = ConvAttributes(pads: [1, 1, 1, 1])
    network.nodes = [
      Node(
        name: "c1", op: .conv(same), inputs: ["x", "w1", "b1"], outputs: ["c1o"]
      ),
      Node(
        name: "relu6", op: .clip(min: 0, max: 6), inputs: ["c1o"],
        outputs: ["r1"]),
      Node(
        name: "dw",
        op: .conv(
          ConvAttributes(group: 4, strides: [2, 2], pads: [1, 1, 1, 1])),
        inputs: ["r1", "w2", "b2"], outputs: ["c2o"]),
      Node(
        name: "clip", op: .clip(min: nil, max: nil),
        inputs: ["c2o", "lo", "hi"], outputs: ["r2"]),
      Node(
        name: "pw", op: .conv(ConvAttributes()), inputs: ["r2", "w3"],
        outputs: ["c3o"]),
      Node(name: "relu", op: .relu, inputs: ["c3o"], outputs: ["r3"]),
      Node(name: "add", op: .add, inputs: ["r3", "r2"], outputs: ["s"]),
      Node(
        name: "wide", op: .clip(min: -1000, max: 1000), inputs: ["s"],
        outputs: ["a"]),
      Node(name: "flat", op: .flatten(axis: 1), inputs: ["a"], outputs: ["f"]),
      Node(
        name: "fc", op: .gemm(GemmAttributes()), inputs: ["f", "w4", "b4"],
        outputs: ["g"]),
      Node(
        name: "cap", op: .clip(min: nil, max: 0.3), inputs: ["g"],
        outputs: ["y"]),
      Node(
        name: "side", op: .conv(ConvAttributes()), inputs: ["r2", "w5"],
        outputs: ["c5o"]),
      Node(
        name: "crossed", op: .clip(min: nil, max: nil),
        inputs: ["c5o", "up", "down"], outputs: ["y2"]),
      Node(name: "mm", op: .matMul, inputs: ["f", "w6"], outputs: ["m"]),
      Node(
        name: "floor", op: .clip(min: -0.2, max: nil), inputs: ["m"],
        outputs: ["y3"]),
    ]
    network.outputs = ["y", "y2", "y3"]
    return network
  }

  static func input(samples: Int) throws -> FloatTensor {
    var rng = SplitMix64(seed: 77)
    return try FloatTensor(
      shape: [samples, 3, 8, 8],
      values: (0..<(samples * 192)).map { _ in
        Float.random(in: -4...4, using: &rng)
      })
  }

  @Test(
    arguments: [
      (RoundingMode.halfUp, AccumulatorSpec(), 8),
      (.floor, AccumulatorSpec(), 4),
      (.halfEven, AccumulatorSpec(), 8),
      (.stochastic, AccumulatorSpec(), 6),
      (.halfUp, AccumulatorSpec(bits: 12, policy: .wrap), 8),
      (.halfUp, AccumulatorSpec(bits: 12, policy: .saturateFinal), 8),
      (.floor, AccumulatorSpec(bits: 14, policy: .saturateEachStep), 8),
      // Raws held as Int16 up to their producer's format's 16 bits.
      (.halfUp, AccumulatorSpec(), 12),
      (.floor, AccumulatorSpec(), 16),
    ])
  func fusedRunEqualsUnfusedRun(
    rounding: RoundingMode, accumulator: AccumulatorSpec, bits: Int
  ) throws {
    let samples = 37
    let network = try Self.network(samples: samples)
    let input = try Self.input(samples: samples)
    var configuration = CalibrationConfiguration()
    configuration.weightBits = bits
    configuration.activationBits = bits
    var plan = try Calibrator.calibrate(
      network: network, data: input, configuration: configuration
    ).plan
    plan.defaults.rounding = rounding
    plan.defaults.accumulator = accumulator
    for index in plan.layers.indices {
      plan.layers[index].precision.rounding = nil
      plan.layers[index].precision.accumulator = nil
    }
    let before = KernelPath.current
    defer { KernelPath.select(before) }
    for path in KernelPath.supported {
      #expect(KernelPath.select(path))
      let executor = try FixedPointExecutor(network: network, plan: plan)
      #expect(
        Set(executor.fusedActivations) == [
          "relu6", "clip", "relu", "wide", "cap", "crossed", "floor",
        ])
      let whole = try executor.run(input: input, retaining: .everything)
      let fused = try executor.run(input: input, retaining: .outputs)
      #expect(fused.outputs == whole.outputs, "\(path)")
      #expect(fused.events == whole.events, "\(path)")
      // The clamps acted: y2's Clip (min above max) is constant, y's capped
      // (with a full accumulator: a 12-bit one leaves g small).
      guard case .fixed(let y) = whole.outputs[0],
        case .fixed(let g) = whole.tensors["g"],
        case .fixed(let y2) = whole.outputs[1]
      else {
        Issue.record("no fixed-point outputs")
        return
      }
      #expect(accumulator.bits != nil || y.raws != g.raws)
      #expect(Set(y2.raws).count == 1)
    }
  }
}
