import Diagnostics
import NetworkGraph
import ONNXImport
import Testing

/// Constant nodes and shape computations are evaluated at import.
@Suite struct ConstantFoldingTests {
  /// `x.view(x.size(0), -1)` as the TorchScript exporter writes it with a
  /// dynamic batch: Shape → Gather → Unsqueeze → Concat → Reshape.
  static func flattenChain(opset: Int64) -> Onnx_ModelProto {
    let unsqueeze =
      opset >= 13
      ? node("Unsqueeze", ["n", "axes0"], ["n1"])
      : node("Unsqueeze", ["n"], ["n1"], [attribute("axes", ints: [0])])
    return model(
      opset: opset, inputs: [valueInfo("x", ["batch", 3, 4, 4])],
      outputs: ["y"],
      nodes: [
        node("Relu", ["x"], ["r"], name: "relu"),
        node("Shape", ["r"], ["s"], name: "shape"),
        node(
          "Constant", [], ["zero"],
          [attribute("value", tensor: int64Tensor("", [], [0]))]),
        node("Gather", ["s", "zero"], ["n"], [attribute("axis", int: 0)]),
        unsqueeze,
        node(
          "Constant", [], ["minus1"],
          [attribute("value", tensor: int64Tensor("", [1], [-1]))]),
        node(
          "Concat", ["n1", "minus1"], ["target"], [attribute("axis", int: 0)]),
        node("Reshape", ["r", "target"], ["y"], name: "reshape"),
      ],
      initializers: [int64Tensor("axes0", [1], [0])])
  }

  @Test(arguments: [11, 13, 21] as [Int64])
  func shapeChainBecomesAnInitializer(_ opset: Int64) throws {
    let result = try importModel(
      Self.flattenChain(opset: opset), options: ImportOptions(batch: 2))
    #expect(result.diagnostics.isEmpty, "\(result.errorText)")
    let model = try #require(result.value)
    #expect(model.network.nodes.map(\.op.opType) == ["Relu", "Reshape"])
    #expect(
      model.network.initializer(named: "target")?.integerValues == [2, -1])
    #expect(model.shapes.shape(of: "y")?.dims == [2, 48])
  }

  @Test func sliceCastAndArithmeticFold() throws {
    let m = model(
      inputs: [valueInfo("x", [2, 3, 4, 5])], outputs: ["y"],
      nodes: [
        node("Shape", ["x"], ["s"]),
        node("Slice", ["s", "starts", "ends"], ["hw"]),  // [4, 5]
        node("Cast", ["hw"], ["hwf"], [attribute("to", int: 1)]),
        node("Cast", ["hwf"], ["hwi"], [attribute("to", int: 7)]),
        node("Mul", ["hwi", "two"], ["doubled"]),  // [8, 10]
        node("Div", ["doubled", "two"], ["halved"]),  // [4, 5]
        node("Sub", ["doubled", "halved"], ["less"]),  // [4, 5]
        node(
          "Shape", ["x"], ["lead"],
          [attribute("start", int: 0), attribute("end", int: -2)]),
        node(
          "Concat", ["lead", "less", "fold"], ["target"],
          [attribute("axis", int: 0)]),
        node("Reshape", ["x", "target"], ["y"], name: "reshape"),
      ],
      initializers: [
        int64Tensor("starts", [1], [-2]), int64Tensor("ends", [1], [Int64.max]),
        int64Tensor("two", [], [2]),
        int64Tensor("fold", [1], [-1]),
      ])
    let result = try importModel(m)
    #expect(result.diagnostics.isEmpty, "\(result.errorText)")
    let model = try #require(result.value)
    #expect(
      model.network.initializer(named: "target")?.integerValues == [
        2, 3, 4, 5, -1,
      ])
    #expect(model.network.nodes.map(\.op.opType) == ["Reshape"])
    #expect(model.shapes.shape(of: "y")?.dims == [2, 3, 4, 5, 1])
  }

  @Test func clipBoundsFromConstantNodes() throws {
    var zero = floatTensor("", [], [0])
    zero.floatData = []
    zero.rawData = .init(littleEndianBytes([0]))
    let m = model(
      inputs: [valueInfo("x", [1, 8])], outputs: ["y"],
      nodes: [
        node("Constant", [], ["lo"], [attribute("value", tensor: zero)]),
        node("Constant", [], ["hi"], [attribute("value_float", float: 6)]),
        node("Clip", ["x", "lo", "hi"], ["y"], name: "relu6"),
      ])
    let result = try importModel(m)
    #expect(result.diagnostics.isEmpty, "\(result.errorText)")
    let model = try #require(result.value)
    #expect(model.network.nodes.map(\.op) == [.clip(min: 0, max: 6)])
    #expect(model.network.initializer(named: "hi")?.floatValues == [6])
    let counts = try model.network.counts(shapes: model.shapes)
    #expect(counts.total.parameters == 0)
  }

  @Test func outOfRangeGatherIsAnErrorNamingTheNode() throws {
    let m = model(
      inputs: [valueInfo("x", [2, 3])], outputs: ["y"],
      nodes: [
        node("Shape", ["x"], ["s"]),
        node("Gather", ["s", "i"], ["n"], name: "pick"),
        node("Reshape", ["x", "n"], ["y"]),
      ],
      initializers: [int64Tensor("i", [1], [5])])
    let result = try importModel(m)
    #expect(result.value == nil)
    #expect(
      result.errorText.contains(
        "node 'pick' (Gather): index 5 is out of range for axis 0 of size 2"))
  }
}
