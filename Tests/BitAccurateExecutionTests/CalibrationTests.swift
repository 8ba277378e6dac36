import BitAccurateExecution
import FixedPointArithmetic
import NetworkGraph
import PrecisionModel
import Testing

/// Calibration (§8) is deterministic and follows its rules.
@Suite struct CalibrationTests {
  static func data(_ count: Int) throws -> FloatTensor {
    let (images, _) = try Fixtures.testSplit()
    let per = images.values.count / images.shape[0]
    return try FloatTensor(
      shape: [count, 1, 8, 8], values: Array(images.values.prefix(count * per)))
  }

  @Test(arguments: CalibrationMethod.allCases)
  func sameDataSamePlanWhateverTheCores(method: CalibrationMethod) throws {
    let network = try Fixtures.model("digits-dwsep")
    let data = try Self.data(24)
    let configuration = CalibrationConfiguration(method: method)
    let one = try Calibrator.calibrate(
      network: network, data: data, configuration: configuration, concurrency: 1
    )
    let two = try Calibrator.calibrate(
      network: network, data: data, configuration: configuration, concurrency: 2
    )
    #expect(one.plan.render() == two.plan.render())
    #expect(one.layers == two.layers)
  }

  @Test func ristrettoFollowsTheIntegerLengthRule() throws {
    let network = try Fixtures.model("digits-plain")
    let data = try Self.data(16)
    let result = try Calibrator.calibrate(
      network: network, data: data,
      configuration: CalibrationConfiguration(method: .ristretto))
    // Inputs are in [0, 1] with max exactly 1: IL = ceil(log2 1) = 0, fl = 8.
    #expect(result.input == (try QFormat(bits: 8, fractionalLength: 8)))
    for layer in result.layers {
      guard let weight = layer.weight,
        let initializer = network.nodes.first(where: { $0.name == layer.name })
          .flatMap({ network.initializer(named: $0.inputs[1]) })?.floatValues
      else { continue }
      let top = Double(initializer.map { abs($0) }.max() ?? 0)
      #expect(
        weight.fractionalLength
          == (try FixedPoint.ilRuleFractionalLength(
            maxMagnitude: top, bits: 8, role: .weights)))
    }
  }

  @Test func staticSharesOneFractionalLength() throws {
    let network = try Fixtures.model("digits-plain")
    let result = try Calibrator.calibrate(
      network: network, data: try Self.data(16),
      configuration: CalibrationConfiguration(method: .static))
    var fls: Set<Int> = [result.input.fractionalLength]
    for layer in result.layers {
      if let weight = layer.weight { fls.insert(weight.fractionalLength) }
      if let activation = layer.activation {
        fls.insert(activation.fractionalLength)
      }
    }
    #expect(fls.count == 1)
  }

  @Test func mixedWidthsReachThePlan() throws {
    let network = try Fixtures.model("digits-plain")
    let fc = try #require(network.nodes.first { $0.op.opType == "Gemm" })
    let result = try Calibrator.calibrate(
      network: network, data: try Self.data(16),
      configuration: CalibrationConfiguration(
        method: .qiu, layerBits: [fc.name: LayerBits(weight: 4)]))
    let row = try #require(result.layers.first { $0.name == fc.name })
    #expect(row.weight?.bits == 4)
    #expect(row.activation?.bits == 8)
    #expect(
      result.layers.filter { $0.name != fc.name }.allSatisfy {
        $0.weight?.bits ?? 8 == 8
      })
    // The plan round-trips through the resolver.
    #expect(result.plan.problems(against: network).isEmpty)
  }

  /// §5 Concat: calibration gives the producers of a Concat's inputs (here
  /// through a ReLU and a max-pool) the Concat's format, so joining them
  /// needs no requantization.
  @Test func concatProducersGetTheConcatFormat() throws {
    var net = Network(
      name: "cat", inputs: [GraphInput(name: "x", shape: [4, 1, 8, 8])])
    try net.addInitializer(
      Tensor(
        name: "w1", shape: TensorShape([2, 1, 3, 3]),
        values: (0..<18).map { Float($0 % 5) * 0.3 - 0.5 }))
    try net.addInitializer(
      Tensor(
        name: "w2", shape: TensorShape([3, 1, 1, 1]), values: [4, -3, 2.5]))
    let pool = PoolAttributes(kernelShape: [1, 1])
    net.nodes = [
      Node(
        name: "a", op: .conv(ConvAttributes(pads: [1, 1, 1, 1])),
        inputs: ["x", "w1"],
        outputs: ["ya"]),
      Node(name: "ra", op: .relu, inputs: ["ya"], outputs: ["za"]),
      Node(
        name: "b", op: .conv(ConvAttributes()), inputs: ["x", "w2"],
        outputs: ["yb"]),
      Node(name: "pb", op: .maxPool(pool), inputs: ["yb"], outputs: ["zb"]),
      Node(
        name: "cat", op: .concat(axis: 1), inputs: ["za", "zb"], outputs: ["z"]),
    ]
    net.outputs = ["z"]
    let result = try Calibrator.calibrate(
      network: net, data: try Self.data(4),
      configuration: CalibrationConfiguration(method: .qiu))
    let byName = Dictionary(
      uniqueKeysWithValues: result.layers.map { ($0.name, $0.activation) })
    let cat = try #require(byName["cat"] ?? nil)
    #expect(byName["a"] == cat)
    #expect(byName["b"] == cat)
    let executor = try FixedPointExecutor(network: net, plan: result.plan)
    let run = try executor.run(input: try Self.data(4))
    #expect(run.events["cat"]?.inputs.total == 0)
  }

  /// A calibrated layer without accumulators (a GlobalAveragePool float
  /// island before a Gemm) is scored by running it per candidate from each
  /// chunk's state: its objective is the whole batch's, computed here from
  /// whole-batch runs, bit for bit, and its fl the argmin (ties smaller).
  @Test func anIslandLayerScoresAsOneWholeBatchRun() throws {
    let samples = 40
    var net = Network(
      name: "gap",
      inputs: [GraphInput(name: "x", shape: [samples, 1, 8, 8])])
    try net.addInitializer(
      Tensor(
        name: "w", shape: TensorShape([4, 1, 3, 3]),
        values: (0..<36).map { Float(($0 * 7) % 11) * 0.21 - 1.0 }))
    try net.addInitializer(
      Tensor(
        name: "fw", shape: TensorShape([3, 4]),
        values: (0..<12).map { Float(($0 * 5) % 7) * 0.4 - 1.1 }))
    net.nodes = [
      Node(
        name: "conv", op: .conv(ConvAttributes(pads: [1, 1, 1, 1])),
        inputs: ["x", "w"], outputs: ["y"]),
      Node(name: "relu", op: .relu, inputs: ["y"], outputs: ["r"]),
      Node(
        name: "pool", op: .globalAveragePool, inputs: ["r"], outputs: ["p"]),
      Node(name: "flat", op: .flatten(axis: 1), inputs: ["p"], outputs: ["f"]),
      Node(
        name: "fc", op: .gemm(GemmAttributes(transB: true)),
        inputs: ["f", "fw"], outputs: ["z"]),
    ]
    net.outputs = ["z"]
    let data = try Self.data(samples)
    // Two cores: the data phase takes the batch in two chunks.
    let result = try Calibrator.calibrate(
      network: net, data: data,
      configuration: CalibrationConfiguration(method: .qiu), concurrency: 2)
    let pool = try #require(result.layers.first { $0.name == "pool" })
    let chosen = try #require(pool.activation)
    let reference = try #require(
      try FloatExecutor(network: net).run(input: data).tensors["p"])
    func objective(_ fl: Int) throws -> Double {
      var plan = result.plan
      var entry = plan.entry(named: "pool") ?? LayerPrecision()
      entry.activation = FormatSpec(bits: chosen.bits, fractionalLength: fl)
      plan.setEntry(entry, for: "pool")
      let run = try FixedPointExecutor(network: net, plan: plan)
        .run(input: data)
      guard case .fixed(let tensor)? = run.tensors["p"] else {
        Issue.record("pool has no fixed-point output")
        return .nan
      }
      var sum = 0.0
      for (q, r) in zip(tensor.dequantized(), reference.values) {
        sum += abs(q - Double(r))
      }
      return sum
    }
    let best = try objective(chosen.fractionalLength)
    #expect(pool.activationError == best)
    #expect(try objective(chosen.fractionalLength - 1) > best)
    #expect(try objective(chosen.fractionalLength + 1) >= best)
  }

  /// A layer with accumulators is scored with each candidate's raw formed
  /// inside the sums (`halfUp` and `floor`, saturating); every objective
  /// equals the one of a whole-batch run under that candidate, bit for bit,
  /// whatever the chunks and cores, for both objectives.
  @Test(
    arguments: [
      (CalibrationObjective.l1, RoundingMode.halfUp),
      (.l2, .halfUp), (.l1, .floor), (.l2, .floor),
    ])
  func aConvLayerScoresAsOneWholeBatchRun(
    objective: CalibrationObjective, rounding: RoundingMode
  ) throws {
    let network = try Fixtures.model("digits-dwsep")
    let data = try Self.data(40)
    var arithmetic = CalibrationConfiguration().arithmetic
    arithmetic.rounding = rounding
    // Narrow activations: the smaller candidates saturate.
    let configuration = CalibrationConfiguration(
      activationBits: 4, inputBits: 8, objective: objective,
      arithmetic: arithmetic)
    let result = try Calibrator.calibrate(
      network: network, data: data, configuration: configuration,
      concurrency: 2)
    let reference = try FloatExecutor(network: network).run(input: data)
    var checked = 0
    for layer in result.layers where layer.opType == "Conv" {
      guard let chosen = layer.activation,
        let output = network.nodes.first(where: { $0.name == layer.name })?
          .outputs.first,
        let float = reference.tensors[output]
      else { continue }
      var plan = result.plan
      var entry = plan.entry(named: layer.name) ?? LayerPrecision()
      entry.activation = FormatSpec(
        bits: chosen.bits, fractionalLength: chosen.fractionalLength)
      plan.setEntry(entry, for: layer.name)
      let run = try FixedPointExecutor(network: network, plan: plan)
        .run(input: data)
      guard case .fixed(let tensor)? = run.tensors[output] else {
        Issue.record("\(layer.name) has no fixed-point output")
        continue
      }
      var sum = 0.0
      for (q, r) in zip(tensor.dequantized(), float.values) {
        let e = q - Double(r)
        sum += objective == .l1 ? abs(e) : e * e
      }
      // Only the first layer's objective is independent of the later
      // layers' choices in this run (the plan is the final one).
      #expect(layer.activationError == sum, "\(layer.name)")
      checked += 1
      break
    }
    #expect(checked == 1)
  }
}
