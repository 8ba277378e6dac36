import BitAccurateExecution
import FixedPointArithmetic
import NetworkGraph
import PrecisionModel
import Testing

/// FIXED_POINT.md's worked examples (§2–§5, §12) run through the executor on
/// tiny hand-built networks; every raw integer is checked exactly.
@Suite struct GoldenExampleTests {
  static func plan(
    input: (Int, Int), weight: (Int, Int) = (8, 0), activation: (Int, Int),
    rounding: RoundingMode = .halfUp, overflow: OverflowPolicy = .saturate,
    accumulator: AccumulatorSpec = AccumulatorSpec(policy: .saturateFinal)
  ) -> PrecisionPlan {
    PrecisionPlan(
      input: FormatSpec(bits: input.0, fractionalLength: input.1),
      defaults: LayerPrecision(
        weight: FormatSpec(bits: weight.0, fractionalLength: weight.1),
        bias: .accumulator,
        activation: FormatSpec(
          bits: activation.0, fractionalLength: activation.1),
        accumulator: accumulator, rounding: rounding, overflow: overflow))
  }

  /// y = x · 1 through a 1×1 Gemm.
  static func identityGemm() throws -> Network {
    var net = Network(
      name: "gemm", inputs: [GraphInput(name: "x", shape: [1, 1])])
    try net.addInitializer(
      Tensor(name: "w", shape: TensorShape([1, 1]), values: [1]))
    net.nodes = [
      Node(
        name: "fc", op: .gemm(GemmAttributes()), inputs: ["x", "w"],
        outputs: ["y"])
    ]
    net.outputs = ["y"]
    return net
  }

  static func raws(_ value: TensorValue?) -> [Int64] {
    if case .fixed(let tensor)? = value { return tensor.raws }
    return []
  }

  @Test(arguments: [
    (RoundingMode.halfEven, Int64(-10)), (.halfUp, -9),
    (.halfAwayFromZero, -10), (.floor, -10),
    (.towardZero, -9),
  ])
  func requantizeMinus38ByTwo(rounding: RoundingMode, expected: Int64) throws {
    // §2: acc = −38 at fl 2 requantized to fl 0 (t = −9.5).
    let executor = try FixedPointExecutor(
      network: try Self.identityGemm(),
      plan: Self.plan(input: (8, 2), activation: (8, 0), rounding: rounding))
    let run = try executor.run(
      input: FloatTensor(shape: [1, 1], values: [-9.5]))
    #expect(run.inputs["x"]?.raws == [-38])
    #expect(Self.raws(run.tensors["y"]) == [expected])
  }

  @Test func minus37IsNineExceptFloor() throws {
    for rounding in [
      RoundingMode.halfEven, .halfUp, .halfAwayFromZero, .towardZero, .floor,
    ] {
      let executor = try FixedPointExecutor(
        network: try Self.identityGemm(),
        plan: Self.plan(input: (8, 2), activation: (8, 0), rounding: rounding))
      let run = try executor.run(
        input: FloatTensor(shape: [1, 1], values: [-9.25]))
      #expect(
        Self.raws(run.tensors["y"]) == [rounding == .floor ? -10 : -9],
        "\(rounding)")
    }
  }

  @Test func inputQuantizationIsHalfEvenSaturate() throws {
    // §2: 2.53125 at fl 4 → 40 (halfEven), −2.53125 → −40; §3: 9.0 → 127.
    let executor = try FixedPointExecutor(
      network: try Self.identityGemm(),
      plan: Self.plan(input: (8, 4), activation: (8, 4)))
    for (x, raw) in [(Float(2.53125), Int64(40)), (-2.53125, -40), (9.0, 127)] {
      let run = try executor.run(
        input: FloatTensor(shape: [1, 1], values: [x]))
      #expect(run.inputs["x"]?.raws == [raw], "\(x)")
    }
    let run = try executor.run(input: FloatTensor(shape: [1, 1], values: [9]))
    #expect(run.inputEvents.positive == 1)
  }

  @Test(arguments: [(OverflowPolicy.saturate, Int64(127)), (.wrap, -112)])
  func nineAtFlFourOverflows(policy: OverflowPolicy, expected: Int64) throws {
    // §3: 9.0 at (8, fl 4) is z = 144 → saturate 127, wrap −112; one event.
    let executor = try FixedPointExecutor(
      network: try Self.identityGemm(),
      plan: Self.plan(input: (16, 4), activation: (8, 4), overflow: policy))
    let run = try executor.run(input: FloatTensor(shape: [1, 1], values: [9]))
    #expect(Self.raws(run.tensors["y"]) == [expected])
    #expect(run.events["fc"]?.output == OverflowCounts(positive: 1))
  }

  @Test func negativeAndLargeFractionalLengths() throws {
    // §3: fl = −2, B = 8: 13 → 3 (12); fl = 6, B = 4: 0.05 → 3.
    let wide = try FixedPointExecutor(
      network: try Self.identityGemm(),
      plan: Self.plan(input: (8, -2), activation: (8, -2)))
    #expect(
      try wide.run(input: FloatTensor(shape: [1, 1], values: [13])).inputs["x"]?
        .raws == [3])
    let narrow = try FixedPointExecutor(
      network: try Self.identityGemm(),
      plan: Self.plan(input: (4, 6), activation: (4, 6)))
    #expect(
      try narrow.run(input: FloatTensor(shape: [1, 1], values: [0.05])).inputs[
        "x"]?.raws == [3])
  }

  @Test(arguments: [
    (RoundingMode.halfEven, Int64(4)), (.halfUp, 4), (.floor, 3),
  ])
  func averagePoolOfThreeFourFourFour(rounding: RoundingMode, expected: Int64)
    throws
  {
    // §5: raws [3, 4, 4, 4] at fl 2, S = 15, 15/4 = 3.75.
    var net = Network(
      name: "pool", inputs: [GraphInput(name: "x", shape: [1, 1, 2, 2])])
    net.nodes = [
      Node(
        name: "pool", op: .averagePool(PoolAttributes(kernelShape: [2, 2])),
        inputs: ["x"],
        outputs: ["y"])
    ]
    net.outputs = ["y"]
    let executor = try FixedPointExecutor(
      network: net,
      plan: Self.plan(input: (8, 2), activation: (8, 2), rounding: rounding))
    let run = try executor.run(
      input: FloatTensor(shape: [1, 1, 2, 2], values: [0.75, 1, 1, 1]))
    #expect(run.inputs["x"]?.raws == [3, 4, 4, 4])
    #expect(Self.raws(run.tensors["y"]) == [expected])
  }

  /// a = x (50 @ fl 4), b = x · c requantized to fl 2 (−7 @ fl 2), then Add.
  static func residual(outputFractionalLength: Int, rounding: RoundingMode)
    throws
    -> (executor: FixedPointExecutor, input: FloatTensor)
  {
    var net = Network(
      name: "residual", inputs: [GraphInput(name: "x", shape: [1, 1])])
    try net.addInitializer(
      Tensor(name: "c", shape: TensorShape([1]), values: [-0.5625]))
    net.nodes = [
      Node(name: "scale", op: .mul, inputs: ["x", "c"], outputs: ["b"]),
      Node(name: "sum", op: .add, inputs: ["x", "b"], outputs: ["y"]),
    ]
    net.outputs = ["y"]
    var plan = plan(
      input: (8, 4), weight: (8, 4), activation: (8, outputFractionalLength))
    plan.setEntry(
      LayerPrecision(
        activation: FormatSpec(fractionalLength: 2), rounding: .halfUp),
      for: "scale")
    plan.setEntry(LayerPrecision(rounding: rounding), for: "sum")
    return (
      try FixedPointExecutor(network: net, plan: plan),
      try FloatTensor(shape: [1, 1], values: [3.125])
    )
  }

  @Test(arguments: [
    (2, RoundingMode.halfEven, Int64(6)), (2, .halfUp, 6), (2, .floor, 5),
    (3, .floor, 11),
    (3, .halfUp, 11),
  ])
  func residualAddAlignsUp(fl: Int, rounding: RoundingMode, expected: Int64)
    throws
  {
    // §5: a = 50 @ fl 4, b = −7 @ fl 2: S = 22 @ fl 4; to fl 3 → 11, to fl 2 → 5.5.
    let (executor, input) = try Self.residual(
      outputFractionalLength: fl, rounding: rounding)
    let run = try executor.run(input: input, keepWide: true)
    #expect(run.inputs["x"]?.raws == [50])
    #expect(Self.raws(run.tensors["b"]) == [-7])
    #expect(run.wide["sum"]?.values == [22])
    #expect(run.wide["sum"]?.fractionalLength == 4)
    #expect(Self.raws(run.tensors["y"]) == [expected])
  }

  @Test func reluSixAndClipActOnRaws() throws {
    // §5 ReLU6 bound at (8, fl 4) = 96; §12.4 Clip bounds quantized halfEven.
    var net = Network(
      name: "clip", inputs: [GraphInput(name: "x", shape: [1, 4])])
    net.nodes = [
      Node(
        name: "relu6", op: .clip(min: 0, max: 6), inputs: ["x"], outputs: ["a"]),
      Node(
        name: "clip", op: .clip(min: -1.03125, max: 2.53125), inputs: ["x"],
        outputs: ["b"]),
      Node(name: "relu", op: .relu, inputs: ["x"], outputs: ["c"]),
    ]
    net.outputs = ["a", "b", "c"]
    let executor = try FixedPointExecutor(
      network: net, plan: Self.plan(input: (8, 4), activation: (8, 4)))
    let run = try executor.run(
      input: FloatTensor(shape: [1, 4], values: [7, -2, 2.75, 0.5]))
    #expect(run.inputs["x"]?.raws == [112, -32, 44, 8])
    #expect(Self.raws(run.tensors["a"]) == [96, 0, 44, 8])
    // −1.03125 · 16 = −16.5 → −16; 2.53125 · 16 = 40.5 → 40 (halfEven).
    #expect(Self.raws(run.tensors["b"]) == [40, -16, 40, 8])
    #expect(Self.raws(run.tensors["c"]) == [112, 0, 44, 8])
    #expect(run.tensors["a"]?.format == run.inputs["x"]?.format)
  }

  @Test func convolutionAccumulatesExactlyAndSaturatesOnce() throws {
    // 3×3 input, 2×2 kernel, bias on the accumulator grid (fl 1 + 0).
    var net = Network(
      name: "conv", inputs: [GraphInput(name: "x", shape: [1, 1, 3, 3])])
    try net.addInitializer(
      Tensor(
        name: "w", shape: TensorShape([1, 1, 2, 2]), values: [1, -2, 3, 4]))
    try net.addInitializer(
      Tensor(name: "b", shape: TensorShape([1]), values: [0.5]))
    net.nodes = [
      Node(
        name: "conv", op: .conv(ConvAttributes()), inputs: ["x", "w", "b"],
        outputs: ["y"])
    ]
    net.outputs = ["y"]
    // x raws 1…9 at fl 1; accumulators: bias 1 + Σ w·x.
    let values: [Float] = (1...9).map { Float($0) / 2 }
    let exact: [Int64] = [
      1 + 1 - 4 + 12 + 20, 1 + 2 - 6 + 15 + 24, 1 + 4 - 10 + 21 + 32,
      1 + 5 - 12 + 24 + 36,
    ]
    #expect(exact == [30, 36, 48, 54])
    for (bits, expected, events) in [(32, exact, 0), (6, [30, 31, 31, 31], 3)] {
      let plan = Self.plan(
        input: (8, 1), activation: (16, 1),
        accumulator: AccumulatorSpec(bits: bits, policy: .saturateFinal))
      let run = try FixedPointExecutor(network: net, plan: plan).run(
        input: FloatTensor(shape: [1, 1, 3, 3], values: values), keepWide: true)
      #expect(run.wide["conv"]?.values == expected, "A = \(bits)")
      #expect(Self.raws(run.tensors["y"]) == expected)
      #expect(run.events["conv"]?.accumulator.elements.positive == events)
    }
    // wrap: 36, 48, 54 mod 2^6 into [−32, 31] → −28, −16, −10.
    let wrapped = try FixedPointExecutor(
      network: net,
      plan: Self.plan(
        input: (8, 1), activation: (16, 1),
        accumulator: AccumulatorSpec(bits: 6, policy: .wrap))
    ).run(input: FloatTensor(shape: [1, 1, 3, 3], values: values))
    #expect(Self.raws(wrapped.tensors["y"]) == [30, -28, -16, -10])
  }

  @Test func saturateEachStepFollowsCanonicalOrder() throws {
    // Bias first, then kernel positions in [ci][kh][kw] order: with A = 4
    // ([−8, 7]) and terms +6, +6, −6, −6 from 0: 6, 7 (event), 1, −5.
    var net = Network(
      name: "steps", inputs: [GraphInput(name: "x", shape: [1, 1, 2, 2])])
    try net.addInitializer(
      Tensor(
        name: "w", shape: TensorShape([1, 1, 2, 2]), values: [1, 1, -1, -1]))
    net.nodes = [
      Node(
        name: "conv", op: .conv(ConvAttributes()), inputs: ["x", "w"],
        outputs: ["y"])
    ]
    net.outputs = ["y"]
    let plan = Self.plan(
      input: (8, 0), activation: (8, 0),
      accumulator: AccumulatorSpec(bits: 4, policy: .saturateEachStep))
    let run = try FixedPointExecutor(network: net, plan: plan).run(
      input: FloatTensor(shape: [1, 1, 2, 2], values: [6, 6, 6, 6]))
    #expect(Self.raws(run.tensors["y"]) == [-5])
    #expect(
      run.events["conv"]?.accumulator.steps == OverflowCounts(positive: 1))
    #expect(
      run.events["conv"]?.accumulator.elements == OverflowCounts(positive: 1))
  }

  @Test func softmaxIsAFloatIsland() throws {
    var net = Network(
      name: "soft", inputs: [GraphInput(name: "x", shape: [1, 3])])
    net.nodes = [
      Node(
        name: "softmax", op: .softmax(axis: -1), inputs: ["x"], outputs: ["p"])
    ]
    net.outputs = ["p"]
    let run = try FixedPointExecutor(
      network: net, plan: Self.plan(input: (8, 4), activation: (8, 4))
    )
    .run(input: FloatTensor(shape: [1, 3], values: [1, 2, 3]))
    guard case .float(let p)? = run.tensors["p"] else {
      Issue.record("softmax output should be Float32")
      return
    }
    #expect(abs(p.values.reduce(0, +) - 1) < 1e-6)
    #expect(p.values[2] > p.values[1])
  }
}
