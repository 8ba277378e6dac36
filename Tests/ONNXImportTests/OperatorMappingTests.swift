import Diagnostics
import NetworkGraph
import ONNXImport
import Testing

/// Attribute defaults follow the operator version the opset selects.
@Suite struct OperatorMappingTests {
  static func single(
    _ op: String, opset: Int64 = 13, input: [Dim] = [1, 3, 4, 4],
    extraInputs: [String] = [],
    _ attributes: [Onnx_AttributeProto] = [],
    initializers: [Onnx_TensorProto] = []
  ) throws -> LoadResult<ImportedModel> {
    try importModel(
      model(
        opset: opset, inputs: [valueInfo("x", input)], outputs: ["y"],
        nodes: [node(op, ["x"] + extraInputs, ["y"], name: "n", attributes)],
        initializers: initializers))
  }

  @Test func defaults() throws {
    let cases: [(String, [Onnx_AttributeProto], Operator)] = [
      ("LeakyRelu", [], .activation(.leakyRelu(alpha: 0.01))),
      ("HardSigmoid", [], .activation(.hardSigmoid(alpha: 0.2, beta: 0.5))),
      ("Flatten", [], .flatten(axis: 1)),
      ("Transpose", [], .transpose(perm: nil)),
      ("Softmax", [], .softmax(axis: -1)),
      (
        "MaxPool", [attribute("kernel_shape", ints: [2, 2])],
        .maxPool(PoolAttributes(kernelShape: [2, 2]))
      ),
      (
        "AveragePool",
        [
          attribute("kernel_shape", ints: [3, 3]),
          attribute("count_include_pad", int: 1),
          attribute("ceil_mode", int: 1),
        ],
        .averagePool(
          PoolAttributes(
            kernelShape: [3, 3], ceilMode: true, countIncludePad: true))
      ),
      ("GlobalMaxPool", [], .globalMaxPool),
      ("HardSwish", [], .activation(.hardSwish)),
    ]
    for (op, attributes, expected) in cases {
      let result = try Self.single(op, opset: 14, attributes)
      #expect(result.errors.isEmpty, "\(op): \(result.errorText)")
      #expect(result.value?.network.nodes.first?.op == expected, "\(op)")
    }
  }

  @Test func softmax11CoercesToTwoDimensions() throws {
    let result = try Self.single("Softmax", opset: 11, input: [1, 3, 4])
    #expect(result.errors.isEmpty, "\(result.errorText)")
    let model = try #require(result.value)
    #expect(
      model.network.nodes.map(\.op) == [
        .flatten(axis: 1), .softmax(axis: -1), .reshape(allowZero: false),
      ])
    #expect(model.network.nodes[1].name == "n")
    #expect(model.shapes.shape(of: "y")?.dims == [1, 3, 4])
    let last = try Self.single(
      "Softmax", opset: 11, input: [1, 3, 4], [attribute("axis", int: 2)])
    #expect(last.value?.network.nodes.map(\.op) == [.softmax(axis: -1)])
  }

  @Test func squeezeAxesAttributeBeforeOpset13InputAfter() throws {
    let old = try Self.single(
      "Squeeze", opset: 11, input: [1, 3, 1, 4], [attribute("axes", ints: [2])])
    #expect(old.value?.shapes.shape(of: "y")?.dims == [1, 3, 4])
    let new = try Self.single(
      "Squeeze", opset: 13, input: [1, 3, 1, 4], extraInputs: ["axes"],
      initializers: [int64Tensor("axes", [1], [2])])
    #expect(new.value?.shapes.shape(of: "y")?.dims == [1, 3, 4])
    let unsqueeze = try Self.single(
      "Unsqueeze", opset: 12, input: [3, 4], [attribute("axes", ints: [0])])
    #expect(unsqueeze.value?.shapes.shape(of: "y")?.dims == [1, 3, 4])
    let missing = try Self.single("Unsqueeze", opset: 12, input: [3, 4])
    #expect(
      missing.errorText.contains(
        "node 'n' (Unsqueeze): the required attribute 'axes' is missing"))
  }

  @Test func concatNeedsAxis() throws {
    let result = try Self.single("Concat")
    #expect(
      result.errorText.contains(
        "node 'n' (Concat): the required attribute 'axis' is missing"))
  }

  @Test func badAttributeTypeNamesTheNode() throws {
    let result = try Self.single("Flatten", [attribute("axis", float: 1)])
    #expect(
      result.errorText.contains(
        "node 'n' (Flatten): attribute 'axis' must be an integer"))
  }

  @Test func batchNormalizationFoldsIntoConv() throws {
    let m = model(
      inputs: [valueInfo("x", [1, 1, 3, 3])], outputs: ["y"],
      nodes: [
        node("Conv", ["x", "w"], ["c"], name: "conv"),
        node(
          "BatchNormalization", ["c", "g", "b", "m", "v"], ["bn"], name: "bn",
          [attribute("epsilon", float: 0)]),
        node("Dropout", ["bn"], ["d"], name: "drop"),
        node("Identity", ["d"], ["y"], name: "id"),
      ],
      initializers: [
        floatTensor("w", [2, 1, 1, 1], [1, 2]), floatTensor("g", [2], [2, 3]),
        floatTensor("b", [2], [1, 1]), floatTensor("m", [2], [0, 1]),
        floatTensor("v", [2], [1, 1]),
      ])
    let result = try importModel(m)
    #expect(result.diagnostics.isEmpty, "\(result.errorText)")
    let model = try #require(result.value)
    #expect(model.network.nodes.map(\.name) == ["conv"])
    let bias = try #require(model.network.nodes.first?.inputs.last)
    #expect(model.network.initializer(named: bias)?.floatValues == [1, -2])
    #expect(model.shapes.shape(of: "y")?.dims == [1, 2, 3, 3])
  }

  @Test func typedAndRawInitializersDecodeExactly() throws {
    // float16: 1.0 = 0x3C00, −2.0 = 0xC000, smallest subnormal 2^−24 = 0x0001,
    // 65504 = 0x7BFF.
    var half = Onnx_TensorProto()
    half.name = "h"
    half.dims = [4]
    half.dataType = Int32(Onnx_TensorProto.DataType.float16.rawValue)
    half.int32Data = [0x3C00, 0xC000, 0x0001, 0x7BFF]
    let rawHalf = rawTensor(
      "rh", [2], type: .float16, [0x00, 0x3C, 0x00, 0xC0])
    var double = Onnx_TensorProto()
    double.name = "d"
    double.dims = [2]
    double.dataType = Int32(Onnx_TensorProto.DataType.double.rawValue)
    double.doubleData = [0.5, -4]
    let int8 = rawTensor("i8", [3], type: .int8, [0xFF, 0x7F, 0x80])
    let uint8 = rawTensor("u8", [2], type: .uint8, [0xFF, 0x01])
    let int16 = rawTensor("i16", [1], type: .int16, [0x00, 0x80])
    let int32 = rawTensor("i32", [1], type: .int32, [0xFE, 0xFF, 0xFF, 0xFF])
    let int64 = rawTensor(
      "i64", [1], type: .int64, [1, 0, 0, 0, 0, 0, 0, 0x80])
    let bool = rawTensor("b", [2], type: .bool, [0, 7])
    let float = rawTensor(
      "f", [2], type: .float, littleEndianBytes([3.5, -0.125]))
    let tensors = [
      half, rawHalf, double, int8, uint8, int16, int32, int64, bool, float,
    ]
    let m = model(
      inputs: [valueInfo("x", [1])], outputs: ["y"] + tensors.map(\.name),
      nodes: [node("Relu", ["x"], ["y"])], initializers: tensors)
    let result = try importModel(m)
    #expect(result.errors.isEmpty, "\(result.errorText)")
    let network = try #require(result.value?.network)
    #expect(
      network.initializer(named: "h")?.floatValues == [1, -2, 0x1p-24, 65504])
    #expect(network.initializer(named: "h")?.elementType == .float16)
    #expect(network.initializer(named: "rh")?.floatValues == [1, -2])
    #expect(network.initializer(named: "d")?.floatValues == [0.5, -4])
    #expect(network.initializer(named: "i8")?.integerValues == [-1, 127, -128])
    #expect(network.initializer(named: "u8")?.integerValues == [255, 1])
    #expect(network.initializer(named: "i16")?.integerValues == [-32768])
    #expect(network.initializer(named: "i32")?.integerValues == [-2])
    #expect(network.initializer(named: "i64")?.integerValues == [Int64.min + 1])
    #expect(network.initializer(named: "b")?.integerValues == [0, 1])
    #expect(network.initializer(named: "f")?.floatValues == [3.5, -0.125])
  }
}
