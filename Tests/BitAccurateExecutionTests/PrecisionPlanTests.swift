import BitAccurateExecution
import Diagnostics
import FixedPointArithmetic
import NetworkGraph
import PrecisionModel
import Testing

/// The precision file as values (§11): merging (§12.2), validation against a
/// network, and rendering in §11's layout.
@Suite struct PrecisionPlanTests {
  static func network() throws -> Network {
    var net = Network(
      name: "net", inputs: [GraphInput(name: "x", shape: [1, 1, 4, 4])])
    try net.addInitializer(
      Tensor(
        name: "w", shape: TensorShape([2, 1, 3, 3]),
        values: Array(repeating: 0.1, count: 18)))
    try net.addInitializer(
      Tensor(
        name: "fw", shape: TensorShape([3, 8]),
        values: Array(repeating: 0.1, count: 24)))
    net.nodes = [
      Node(
        name: "conv1", op: .conv(ConvAttributes()), inputs: ["x", "w"],
        outputs: ["c"]),
      Node(name: "relu", op: .relu, inputs: ["c"], outputs: ["r"]),
      Node(name: "flat", op: .flatten(axis: 1), inputs: ["r"], outputs: ["f"]),
      Node(
        name: "fc3", op: .gemm(GemmAttributes(transB: true)),
        inputs: ["f", "fw"], outputs: ["y"]),
    ]
    net.outputs = ["y"]
    return net
  }

  static let example = PrecisionPlan(
    input: FormatSpec(bits: 8, fractionalLength: 7),
    defaults: LayerPrecision(
      weight: FormatSpec(bits: 8, fractionalLength: 6), bias: .accumulator,
      activation: FormatSpec(bits: 8, fractionalLength: 4),
      accumulator: AccumulatorSpec(bits: 32, policy: .saturateFinal),
      rounding: .halfUp,
      overflow: .saturate),
    layers: [
      LayerEntry(
        name: "conv1",
        precision: LayerPrecision(
          weight: FormatSpec(bits: 8, fractionalLength: 7),
          activation: FormatSpec(bits: 8, fractionalLength: 3))),
      LayerEntry(
        name: "fc3",
        precision: LayerPrecision(
          weight: FormatSpec(bits: 4, fractionalLength: 5))),
    ])

  @Test func rendersTheSpecExampleLayout() {
    #expect(
      Self.example.render() == """
        input: {bits: 8, fl: 7}
        default:
          weight: {bits: 8, fl: 6}
          activation: {bits: 8, fl: 4}
          accumulator: {bits: 32, overflow: saturateFinal}
          bias: accumulator
          rounding: halfUp
          overflow: saturate
        layers:
          conv1:
            weight: {bits: 8, fl: 7}
            activation: {bits: 8, fl: 3}
          fc3:
            weight: {bits: 4, fl: 5}

        """)
  }

  @Test func quotesNamesThatAreNotPlainWords() {
    var plan = Self.example
    plan.layers = [
      LayerEntry(
        name: "/conv1/Conv", precision: LayerPrecision(rounding: .floor))
    ]
    #expect(plan.render().contains("  \"/conv1/Conv\":\n    rounding: floor\n"))
  }

  @Test func mergesRoleByRoleAndKeyByKey() {
    var plan = Self.example
    plan.setEntry(
      LayerPrecision(
        weight: FormatSpec(fractionalLength: 2),
        accumulator: AccumulatorSpec(bits: 24)),
      for: "fc3")
    let merged = plan.merged(for: "fc3")
    #expect(merged.weight == FormatSpec(bits: 8, fractionalLength: 2))
    #expect(
      merged.accumulator == AccumulatorSpec(bits: 24, policy: .saturateFinal))
    #expect(merged.activation == FormatSpec(bits: 8, fractionalLength: 4))
    #expect(plan.merged(for: "other") == plan.defaults)
  }

  @Test func resolvesFormatsThroughTheGraph() throws {
    let resolved = try Self.example.resolve(for: try Self.network())
    #expect(
      resolved.tensorFormats["c"] == (try QFormat(bits: 8, fractionalLength: 3))
    )
    #expect(resolved.tensorFormats["r"] == resolved.tensorFormats["c"])
    #expect(resolved.tensorFormats["f"] == resolved.tensorFormats["c"])
    #expect(
      resolved.layers["conv1"]?.accumulator
        == (try QFormat.accumulator(bits: 32, fractionalLength: 14)))
    #expect(resolved.layers["fc3"]?.accumulator?.fractionalLength == 8)
    #expect(resolved.layers["fc3"]?.terms == 8)
  }

  @Test func reportsEveryProblemAtOnce() throws {
    var plan = Self.example
    plan.input = FormatSpec(bits: 65, fractionalLength: 1000)
    plan.defaults.weight = FormatSpec(bits: 0, fractionalLength: 6)
    plan.layers = [
      LayerEntry(name: "conv2", precision: LayerPrecision(rounding: .floor)),
      LayerEntry(
        name: "relu",
        precision: LayerPrecision(
          activation: FormatSpec(bits: 8, fractionalLength: 2))),
      LayerEntry(
        name: "fc3",
        precision: LayerPrecision(
          weight: FormatSpec(
            bits: 8, fractionalLength: 5, symmetric: true, overflow: .wrap))),
    ]
    let problems = plan.problems(against: try Self.network())
    let paths = Set(problems.map(\.path))
    #expect(paths.contains("input.bits"))
    #expect(paths.contains("input.fl"))
    #expect(paths.contains("default.weight.bits"))
    #expect(paths.contains("layers.conv2"))
    #expect(paths.contains("layers.relu"))
    #expect(paths.contains("layers.fc3.weight"))
    #expect(
      problems.contains {
        $0.kind == .unknownLayer(name: "conv2", suggestion: "conv1")
      })
    #expect(
      problems.contains {
        $0.kind == .formatOnFormatPreservingNode(layer: "relu", opType: "Relu")
      })
    #expect(problems.contains { $0.kind == .invalidFormat(.symmetricWithWrap) })
  }

  @Test func checksTheAccumulatorBoundAtLoadTime() throws {
    var plan = Self.example
    plan.setEntry(
      LayerPrecision(
        weight: FormatSpec(bits: 32, fractionalLength: 20),
        activation: FormatSpec(bits: 32, fractionalLength: 10)), for: "conv1")
    plan.setEntry(
      LayerPrecision(
        weight: FormatSpec(bits: 32, fractionalLength: 5),
        accumulator: AccumulatorSpec(bits: 60)),
      for: "fc3")
    plan.input = FormatSpec(bits: 32, fractionalLength: 7)
    let problems = plan.problems(against: try Self.network())
    // conv1: 32 + 32 + ceil(log2 9) = 68 > 62; fc3: A = 60 > 48 and 32 + 32 + 3.
    #expect(
      problems.contains {
        $0.kind
          == .accumulator(
            layer: "conv1",
            .accumulatorBoundExceeded(
              weightBits: 32, inputBits: 32, terms: 9, requiredBits: 68))
      })
    #expect(
      problems.contains {
        $0.kind == .invalidFormat(.bitsOutOfRange(bits: 60, allowed: 2...48))
      })
    #expect(throws: ExecutionError.self) {
      try FixedPointExecutor(network: try Self.network(), plan: plan)
    }
  }

  @Test func locatesDiagnosticsThroughTheLocationTable() throws {
    var plan = Self.example
    plan.layers.append(LayerEntry(name: "conv9", precision: LayerPrecision()))
    plan.locations = [
      "layers.conv9": SourceLocation(file: "p.yaml", line: 14, column: 3)
    ]
    let diagnostics = plan.diagnostics(
      for: plan.problems(against: try Self.network()), file: "p.yaml")
    #expect(diagnostics.count == 1)
    #expect(
      diagnostics.first?.location
        == SourceLocation(file: "p.yaml", line: 14, column: 3))
    #expect(diagnostics.first?.hint == "did you mean 'conv1'?")
  }
}
