import Diagnostics
import Foundation
import NetworkGraph
import ONNXImport
import Testing

func attribute(_ name: String, string value: String) -> Onnx_AttributeProto {
  var a = Onnx_AttributeProto()
  a.name = name
  a.type = .string
  a.s = Data(value.utf8)
  return a
}

func attribute(_ name: String, floats value: [Float]) -> Onnx_AttributeProto {
  var a = Onnx_AttributeProto()
  a.name = name
  a.type = .floats
  a.floats = value
  return a
}

/// The operators of issue #16: each opset's form (attribute or input) gives
/// the same shapes, folding of mask and shape chains, and located errors.
@Suite struct ModernOperatorImportTests {
  static func shape(
    _ m: Onnx_ModelProto, _ tensor: String = "y",
    options: ImportOptions = .init()
  ) throws -> [Int]? {
    let result = try importModel(m, options: options)
    #expect(result.errors.isEmpty, "\(result.errorText)")
    return result.value?.shapes.shape(of: tensor)?.dims
  }

  @Test(arguments: [9, 13] as [Int64])
  func sliceAttributesAndInputsAgree(_ opset: Int64) throws {
    let slice =
      opset < 10
      ? node(
        "Slice", ["x"], ["y"],
        [
          attribute("starts", ints: [1, -3]),
          attribute("ends", ints: [3, 100]),
          attribute("axes", ints: [1, 3]),
        ])
      : node("Slice", ["x", "starts", "ends", "axes"], ["y"])
    let m = model(
      opset: opset, inputs: [valueInfo("x", [2, 4, 6, 8])], outputs: ["y"],
      nodes: [slice],
      initializers: [
        int64Tensor("starts", [2], [1, -3]),
        int64Tensor("ends", [2], [3, 100]),
        int64Tensor("axes", [2], [1, 3]),
      ])
    #expect(try Self.shape(m) == [2, 2, 6, 3])
  }

  @Test func sliceWithNegativeStepsCounts() throws {
    let m = model(
      inputs: [valueInfo("x", [10])], outputs: ["y"],
      nodes: [node("Slice", ["x", "s", "e", "a", "st"], ["y"])],
      initializers: [
        int64Tensor("s", [1], [-1]), int64Tensor("e", [1], [-100]),
        int64Tensor("a", [1], [0]), int64Tensor("st", [1], [-3]),
      ])
    // Positions 9, 6, 3, 0.
    #expect(try Self.shape(m) == [4])
  }

  @Test(
    arguments: [9, 11, 13, 18] as [Int64])
  func splitPadAndReduceAcrossOpsets(_ opset: Int64) throws {
    let split =
      opset < 13
      ? node(
        "Split", ["x"], ["a", "b"],
        [attribute("axis", int: 1), attribute("split", ints: [1, 3])])
      : node("Split", ["x", "sizes"], ["a", "b"], [attribute("axis", int: 1)])
    let pad =
      opset < 11
      ? node(
        "Pad", ["b"], ["p"],
        [attribute("pads", ints: [0, 0, 1, 2, 0, 0, 1, 2])])
      : node("Pad", ["b", "pads"], ["p"])
    let reduce =
      opset < 18
      ? node("ReduceMean", ["p"], ["y"], [attribute("axes", ints: [2, 3])])
      : node("ReduceMean", ["p", "axes"], ["y"])
    let m = model(
      opset: opset, inputs: [valueInfo("x", [1, 4, 5, 6])],
      outputs: ["y", "a"],
      nodes: [split, pad, reduce],
      initializers: [
        int64Tensor("sizes", [2], [1, 3]),
        int64Tensor("pads", [8], [0, 0, 1, 2, 0, 0, 1, 2]),
        int64Tensor("axes", [2], [2, 3]),
      ])
    let result = try importModel(m)
    #expect(result.errors.isEmpty, "\(result.errorText)")
    let shapes = try #require(result.value?.shapes)
    #expect(shapes.shape(of: "a")?.dims == [1, 1, 5, 6])
    #expect(shapes.shape(of: "p")?.dims == [1, 3, 7, 10])
    #expect(shapes.shape(of: "y")?.dims == [1, 3, 1, 1])
  }

  @Test(arguments: [7, 9, 10, 13, 19] as [Int64])
  func upsampleAndResizeDoubleTheImage(_ opset: Int64) throws {
    let op: Onnx_NodeProto
    switch opset {
    case 7:
      op = node(
        "Upsample", ["x"], ["y"], [attribute("scales", floats: [1, 1, 2, 2])])
    case 9: op = node("Upsample", ["x", "scales"], ["y"])
    case 10: op = node("Resize", ["x", "scales"], ["y"])
    default:
      op = node(
        "Resize", ["x", "", "scales"], ["y"],
        [attribute("mode", string: "linear")])
    }
    let m = model(
      opset: opset, inputs: [valueInfo("x", [1, 3, 5, 7])], outputs: ["y"],
      nodes: [op], initializers: [floatTensor("scales", [4], [1, 1, 2, 2])])
    #expect(try Self.shape(m) == [1, 3, 10, 14])
  }

  @Test func resize18WithAxesAndAspectPolicy() throws {
    let m = model(
      opset: 18, inputs: [valueInfo("x", [1, 3, 20, 40])], outputs: ["y"],
      nodes: [
        node(
          "Resize", ["x", "", "", "sizes"], ["y"],
          [
            attribute("axes", ints: [2, 3]),
            attribute("keep_aspect_ratio_policy", string: "not_larger"),
          ])
      ],
      initializers: [int64Tensor("sizes", [2], [10, 10])])
    // Scale min(10/20, 10/40) = 0.25: 20·0.25 = 5, 40·0.25 = 10.
    #expect(try Self.shape(m) == [1, 3, 5, 10])
  }

  /// An exported causal mask: Range → Unsqueeze → Less/Where on constants,
  /// ConstantOfShape and Expand, all folded; the attention stays.
  @Test func maskChainsFold() throws {
    let m = model(
      opset: 17, inputs: [valueInfo("scores", [1, 2, 4, 4])], outputs: ["y"],
      nodes: [
        node("Shape", ["scores"], ["s"]),
        node("Gather", ["s", "three"], ["len"], [attribute("axis", int: 0)]),
        node("Range", ["zero", "len", "one"], ["positions"]),
        node("Unsqueeze", ["positions", "axes0"], ["rows"]),
        node("Unsqueeze", ["positions", "axes1"], ["columns"]),
        node("Greater", ["rows", "columns"], ["future"]),
        node("ConstantOfShape", ["len2"], ["zeros"]),
        node("Where", ["future", "minus", "zeros"], ["mask"]),
        node("Add", ["scores", "mask"], ["y"]),
      ],
      initializers: [
        int64Tensor("three", [], [3]), int64Tensor("zero", [], [0]),
        int64Tensor("one", [], [1]), int64Tensor("axes0", [1], [0]),
        int64Tensor("axes1", [1], [1]), int64Tensor("len2", [2], [4, 4]),
        floatTensor("minus", [], [-1e9]),
      ])
    let result = try importModel(m)
    #expect(result.errors.isEmpty, "\(result.errorText)")
    let model = try #require(result.value)
    #expect(model.network.nodes.map(\.op.opType) == ["Add"])
    let mask = try #require(model.network.initializer(named: "mask"))
    #expect(mask.shape.dims == [4, 4])
    #expect(mask.floatValues?[1] == -1e9)
    #expect(mask.floatValues?[4] == 0)
  }

  @Test func gatherEmbeddingEinsumTopKAndFriends() throws {
    let m = model(
      opset: 17,
      inputs: [
        valueInfo("ids", [1, 6], elemType: 7), valueInfo("x", [2, 3, 4]),
      ],
      outputs: [
        "emb", "e", "values", "arg", "d2s", "tiled", "cum", "tri", "cast",
        "expanded",
      ],
      nodes: [
        node("Gather", ["table", "ids"], ["emb"]),
        node(
          "Einsum", ["x", "x"], ["e"],
          [attribute("equation", string: "bij,bkj->bik")]),
        node(
          "TopK", ["x", "k"], ["values", "indices"],
          [attribute("axis", int: -1)]),
        node(
          "ArgMax", ["x"], ["arg"],
          [attribute("axis", int: 1), attribute("keepdims", int: 0)]),
        node("Reshape", ["x", "shape4"], ["x4"]),
        node("DepthToSpace", ["x4"], ["d2s"], [attribute("blocksize", int: 2)]),
        node("Tile", ["x", "reps"], ["tiled"]),
        node("CumSum", ["x", "axis1"], ["cum"]),
        node("Trilu", ["x"], ["tri"]),
        node("Cast", ["x"], ["cast"], [attribute("to", int: 10)]),
        node("Expand", ["x", "big"], ["expanded"]),
      ],
      initializers: [
        floatTensor("table", [100, 8], [Float](repeating: 0.5, count: 800)),
        int64Tensor("k", [1], [2]), int64Tensor("shape4", [4], [1, 8, 1, 3]),
        int64Tensor("reps", [3], [1, 2, 1]), int64Tensor("axis1", [], [1]),
        int64Tensor("big", [4], [5, 1, 1, 4]),
      ])
    let result = try importModel(m)
    #expect(result.errors.isEmpty, "\(result.errorText)")
    let shapes = try #require(result.value?.shapes)
    #expect(shapes.shape(of: "emb")?.dims == [1, 6, 8])
    #expect(shapes.shape(of: "e")?.dims == [2, 3, 3])
    #expect(shapes.shape(of: "values")?.dims == [2, 3, 2])
    #expect(shapes["indices"]?.elementType == .int64)
    #expect(shapes.shape(of: "arg")?.dims == [2, 4])
    #expect(shapes.shape(of: "d2s")?.dims == [1, 2, 2, 6])
    #expect(shapes.shape(of: "tiled")?.dims == [2, 6, 4])
    #expect(shapes.shape(of: "cum")?.dims == [2, 3, 4])
    #expect(shapes.shape(of: "tri")?.dims == [2, 3, 4])
    #expect(shapes["cast"]?.elementType == .float16)
    #expect(shapes.shape(of: "expanded")?.dims == [5, 2, 3, 4])
    let counts = try #require(result.value).network.counts()
    let einsum = try #require(
      counts.entries.first { $0.node.name == "Einsum_1" })
    // b·i·k·j = 2·3·3·4.
    #expect(einsum.counts.macs == 72)
  }

  @Test func unknownOperatorsStillNameTheNode() throws {
    let m = model(
      opset: 17, inputs: [valueInfo("x", [1, 4])], outputs: ["y"],
      nodes: [node("NonMaxSuppression", ["x"], ["y"], name: "nms")])
    let result = try importModel(m)
    #expect(result.errorText.contains("node 'nms' (NonMaxSuppression)"))
    #expect(result.errorText.contains("is not supported"))
  }

  @Test func badShapesAreLocatedErrors() throws {
    let m = model(
      opset: 17, inputs: [valueInfo("x", [1, 4, 6])], outputs: ["y"],
      nodes: [
        node(
          "LSTM", ["x", "w", "r"], ["y"], name: "rnn",
          [attribute("hidden_size", int: 8)])
      ],
      initializers: [
        floatTensor("w", [1, 32, 5], [Float](repeating: 0, count: 160)),
        floatTensor("r", [1, 32, 8], [Float](repeating: 0, count: 256)),
      ])
    let result = try importModel(m)
    #expect(
      result.errorText.contains("node 'rnn' (LSTM)"), "\(result.errorText)")
    #expect(
      result.errorText.contains("W [1, 32, 5] must be [1, 32, 6]"),
      "\(result.errorText)")
    // A non-constant Expand shape is named.
    let dynamic = model(
      opset: 17,
      inputs: [valueInfo("x", [1, 4]), valueInfo("s", [2], elemType: 7)],
      outputs: ["y"], nodes: [node("Expand", ["x", "s"], ["y"], name: "grow")])
    let refused = try importModel(dynamic)
    #expect(
      refused.errorText.contains("node 'grow' (Expand)"), "\(refused.errorText)"
    )
  }

  @Test func sequenceDimensionsBindOrAreLocatedErrors() throws {
    let m = model(
      opset: 17,
      inputs: [valueInfo("ids", ["batch", "seq"], elemType: 7)],
      outputs: ["y"],
      nodes: [node("Gather", ["table", "ids"], ["y"], name: "embed")],
      initializers: [
        floatTensor("table", [10, 4], [Float](repeating: 1, count: 40))
      ])
    let unbound = try importModel(m)
    #expect(unbound.value == nil)
    #expect(unbound.errorText.contains("'ids'"), "\(unbound.errorText)")
    #expect(unbound.errorText.contains("seq"), "\(unbound.errorText)")
    let bound = try importModel(
      m, options: ImportOptions(batch: 2, dimensions: ["seq": 6]))
    #expect(bound.errors.isEmpty, "\(bound.errorText)")
    #expect(bound.value?.shapes.shape(of: "y")?.dims == [2, 6, 4])
  }

  @Test func clipSixTakesAttributes() throws {
    let m = model(
      opset: 9, inputs: [valueInfo("x", [1, 4])], outputs: ["y"],
      nodes: [
        node(
          "Clip", ["x"], ["y"],
          [attribute("min", float: 0), attribute("max", float: 6)])
      ])
    let result = try importModel(m)
    #expect(result.errors.isEmpty, "\(result.errorText)")
    #expect(
      result.value?.network.nodes.first?.op == .clip(min: 0, max: 6))
  }

  /// Hostile figures give errors or clamped results, never a trap.
  @Test func hostileFiguresDoNotTrap() throws {
    let big = Int64.max
    let m = model(
      opset: 17, inputs: [valueInfo("x", [1, 4, 6, 8])],
      outputs: ["s", "p", "d", "r", "l", "c"],
      nodes: [
        node("Slice", ["x", "zero", "huge", "axis3", "huge"], ["s"]),
        node("Pad", ["x", "pads"], ["p"]),
        node(
          "DepthToSpace", ["x"], ["d"],
          [attribute("blocksize", int: 1 << 40)]),
        node("Range", ["zero0", "hugeScalar", "one0"], ["r"]),
        node(
          "LSTM", ["x3", "w", "r_w"], ["l"],
          [attribute("hidden_size", int: 1 << 62)]),
        node(
          "ConvTranspose", ["x", "wt"], ["c"],
          [attribute("strides", ints: [1 << 40, 1 << 40])]),
        node("Reshape", ["x", "shape3"], ["x3"]),
      ],
      initializers: [
        int64Tensor("zero", [1], [0]), int64Tensor("huge", [1], [big]),
        int64Tensor("axis3", [1], [3]),
        int64Tensor("pads", [8], [0, 0, 0, big, 0, 0, 0, big]),
        int64Tensor("zero0", [], [0]), int64Tensor("hugeScalar", [], [big]),
        int64Tensor("one0", [], [1]),
        int64Tensor("shape3", [3], [4, 6, 8]),
        floatTensor("w", [1, 4, 8], [Float](repeating: 0, count: 32)),
        floatTensor("r_w", [1, 4, 1], [Float](repeating: 0, count: 4)),
        floatTensor("wt", [4, 1, 1, 1], [1, 1, 1, 1]),
      ])
    let result = try importModel(m)
    #expect(result.value == nil)
    #expect(!result.errors.isEmpty)
    // The slice with an enormous step keeps one element.
    let alone = model(
      opset: 17, inputs: [valueInfo("x", [1, 4, 6, 8])], outputs: ["s"],
      nodes: [node("Slice", ["x", "zero", "huge", "axis3", "huge"], ["s"])],
      initializers: [
        int64Tensor("zero", [1], [0]), int64Tensor("huge", [1], [big]),
        int64Tensor("axis3", [1], [3]),
      ])
    #expect(try Self.shape(alone, "s") == [1, 4, 6, 1])
  }

  @Test(arguments: [7, 23] as [Int64])
  func opsetsSevenToTwentyThreeImport(_ opset: Int64) throws {
    let m = model(
      opset: opset, inputs: [valueInfo("x", [1, 4])], outputs: ["y"],
      nodes: [node("Relu", ["x"], ["y"])])
    #expect(try Self.shape(m) == [1, 4])
  }
}
