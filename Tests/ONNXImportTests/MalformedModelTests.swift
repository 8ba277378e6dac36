import Diagnostics
import NetworkGraph
import ONNXImport
import TestSupport
import Testing

/// Broken or hostile models: each is a clear error naming the node or
/// tensor, never a crash, a trap or an unbounded allocation.
@Suite struct MalformedModelTests {
  static let x = valueInfo("x", [1, 3, 4, 4])

  static func relu(opset: Int64 = 13) -> Onnx_ModelProto {
    model(
      opset: opset, inputs: [x], outputs: ["y"],
      nodes: [node("Relu", ["x"], ["y"], name: "r")])
  }

  @Test(arguments: [0.0, 0.25, 0.5, 0.9])
  func truncatedFile(fraction: Double) throws {
    let bytes = try workloadBytes("Workloads/digits/digits-plain.onnx")
    let cut = Array(bytes.prefix(Int(Double(bytes.count) * fraction)))
    let result = ONNXImporter.read(
      bytes: cut, fileName: "cut.onnx", externalData: { _ in .notFound })
    #expect(result.value == nil)
    #expect(
      result.errors.first?.message.hasPrefix("not an ONNX model or truncated: ")
        == true)
    #expect(result.errors.first?.location?.file == "cut.onnx")
  }

  @Test(arguments: 0..<20)
  func randomBytes(seed: UInt64) {
    var generator = SplitMix64(state: seed)
    let count = Int(generator.next() % 4096) + 1
    let bytes = (0..<count).map { _ in
      UInt8(truncatingIfNeeded: generator.next())
    }
    let result = ONNXImporter.read(
      bytes: bytes, fileName: "noise.onnx", externalData: { _ in .notFound })
    #expect(result.value == nil)
    #expect(result.errors.isEmpty == false)
  }

  @Test func hostileNestingStopsAtTheDepthLimit() {
    // ModelProto.graph(7) → GraphProto.node(1) → NodeProto.attribute(5) →
    // AttributeProto.g(6) → GraphProto.node(1) → …, 3000 levels deep.
    func wrap(_ field: UInt8, _ payload: [UInt8]) -> [UInt8] {
      var length: [UInt8] = []
      var n = payload.count
      repeat {
        length.append(UInt8(n & 0x7F) | (n > 0x7F ? 0x80 : 0))
        n >>= 7
      } while n > 0
      return [field << 3 | 2] + length + payload
    }
    var bytes: [UInt8] = []
    for level in 0..<3000 {
      bytes = wrap(level % 3 == 0 ? 6 : (level % 3 == 1 ? 5 : 1), bytes)
    }
    bytes = wrap(7, bytes)
    let result = ONNXImporter.read(
      bytes: bytes, fileName: "deep.onnx", externalData: { _ in .notFound })
    #expect(result.value == nil)
    #expect(
      result.errors.first?.message.contains("nested more than 64 levels")
        == true)
  }

  @Test func missingInitializer() throws {
    let m = model(
      inputs: [Self.x], outputs: ["y"],
      nodes: [node("Conv", ["x", "w"], ["y"], name: "conv1")])
    let result = try importModel(m)
    #expect(result.value == nil)
    #expect(
      result.errorText.contains(
        "node 'conv1' (Conv) reads tensor 'w', which nothing produces"))
  }

  @Test func cycle() throws {
    let m = model(
      inputs: [Self.x], outputs: ["c"],
      nodes: [
        node("Add", ["x", "b"], ["a"], name: "first"),
        node("Relu", ["a"], ["b"], name: "second"),
        node("Relu", ["b"], ["c"], name: "third"),
      ])
    let result = try importModel(m)
    #expect(result.value == nil)
    #expect(result.errorText.contains("cycle"))
    #expect(
      result.errorText.contains("'first'")
        && result.errorText.contains("'second'"))
  }

  @Test func mismatchedShapes() throws {
    let m = model(
      inputs: [valueInfo("a", [1, 3]), valueInfo("b", [1, 4])], outputs: ["y"],
      nodes: [node("Add", ["a", "b"], ["y"], name: "sum")])
    let result = try importModel(m)
    #expect(result.value == nil)
    let error = try #require(result.errors.first)
    #expect(error.location?.entity == "node 'sum' (Add)")
    #expect(
      error.message.contains("[1, 3]") && error.message.contains("[1, 4]"))
  }

  @Test func tensorWithMoreThan2To40ElementsFailsFast() throws {
    // 2^41 float elements declared, 4 bytes present: refused before any
    // allocation (the shape check comes first).
    let huge = rawTensor(
      "huge", [1 << 21, 1 << 20], type: .float, [0, 0, 0, 0])
    let m = model(
      inputs: [Self.x], outputs: ["y"],
      nodes: [node("Add", ["x", "huge"], ["y"], name: "a")],
      initializers: [huge])
    let result = try importModel(m)
    #expect(result.value == nil)
    #expect(
      result.errorText.contains(
        "tensor 'huge': shape [2097152, 1048576] has more than 2^40 elements"))
    #expect(result.errors.first?.location?.entity == "tensor 'huge'")
  }

  @Test func tensorClaimingMoreDataThanPresent() throws {
    let big = rawTensor("big", [1 << 30], type: .float, [0, 0, 0, 0])
    let few = floatTensor("few", [2, 2], [1, 2, 3])
    let m = model(
      inputs: [Self.x], outputs: ["y"],
      nodes: [
        node("Add", ["x", "big"], ["t"]), node("Add", ["t", "few"], ["y"]),
      ],
      initializers: [big, few])
    let result = try importModel(m)
    #expect(result.value == nil)
    #expect(
      result.errorText.contains(
        "tensor 'big' has 4 bytes of raw_data, but shape [1073741824] of float32 needs 4294967296"
      ))
    #expect(
      result.errorText.contains(
        "tensor 'few' has shape [2, 2] (4 elements) but its float_data holds 3 values"
      ))
  }

  @Test func graphInputWithHugeShape() throws {
    let m = model(
      inputs: [valueInfo("x", [.value(1 << 30), .value(1 << 30)])],
      outputs: ["y"],
      nodes: [node("Relu", ["x"], ["y"])])
    let result = try importModel(m)
    #expect(result.value == nil)
    #expect(
      result.errorText.contains(
        "tensor 'x': shape [1073741824, 1073741824] has more than 2^40 elements"
      ))
  }

  @Test func negativeDimensions() throws {
    let m = model(
      inputs: [valueInfo("x", [1, -3, 4])], outputs: ["y"],
      nodes: [node("Add", ["x", "w"], ["y"])],
      initializers: [rawTensor("w", [-1, 4], type: .float, [])])
    let result = try importModel(m)
    #expect(result.value == nil)
    #expect(
      result.errorText.contains(
        "graph input 'x' has the negative dimension -3 at axis 1"))
    #expect(
      result.errorText.contains(
        "tensor 'w': shape [-1, 4] has a negative dimension"))
  }

  @Test(arguments: [
    "../x.bin", "/etc/passwd", "a/../../x.bin", "weights/../../../etc/passwd",
    "a\\..\\x.bin",
    "x\0.bin", "C:/weights.bin", "", "./.",
  ])
  func externalDataEscapingTheFolderIsRefused(location: String) throws {
    let m = model(
      inputs: [Self.x], outputs: ["y"],
      nodes: [node("Add", ["x", "w"], ["y"], name: "a")],
      initializers: [externalTensor("w", [1], location: location)])
    var called = false
    let result = try importModel(m) { _ in
      called = true
      return .bytes([0, 0, 0, 0])
    }
    #expect(!called, "the resolver must not be asked")
    #expect(result.value == nil)
    let error = try #require(result.errors.first)
    #expect(error.location?.entity == "tensor 'w'")
    #expect(error.message.contains("tensor 'w': external data location"))
    #expect(error.message.contains("is refused"))
  }

  @Test func everyUnsupportedOperatorIsReported() throws {
    let m = model(
      inputs: [Self.x], outputs: ["z"],
      nodes: [
        node("Relu", ["x"], ["a"], name: "ok"),
        node("NonMaxSuppression", ["a"], ["b"], name: "nms"),
        node("RoiAlign", ["b"], ["c"]),
        node("Relu", ["c"], ["z"]),
      ])
    let result = try importModel(m)
    #expect(result.value == nil)
    #expect(result.errors.count == 2)
    let first = try #require(result.errors.first)
    #expect(
      first.message
        == "node 'nms' (NonMaxSuppression): operator 'NonMaxSuppression' is not supported"
    )
    #expect(first.location?.entity == "node 'nms' (NonMaxSuppression)")
    #expect(
      first.hint?.contains("Conv") == true
        && first.hint?.contains("BatchNormalization") == true)
    #expect(
      result.errors.last?.location?.entity == "node #2 writing 'c' (RoiAlign)")
  }

  @Test func gatherOnActivationsIsALayer() throws {
    // Gather on a non-constant tensor is not folded: it is a layer (#16).
    let m = model(
      inputs: [Self.x], outputs: ["y"],
      nodes: [node("Gather", ["x", "i"], ["y"], name: "g")],
      initializers: [int64Tensor("i", [1], [0])])
    let result = try importModel(m)
    #expect(result.errors.isEmpty, "\(result.errorText)")
    #expect(result.value?.network.nodes.map(\.op.opType) == ["Gather"])
    #expect(result.value?.shapes.shape(of: "y")?.dims == [1, 3, 4, 4])
  }

  @Test(arguments: [1, 6, 24, 30] as [Int64])
  func unsupportedOpset(_ opset: Int64) throws {
    let result = try importModel(Self.relu(opset: opset))
    #expect(result.value == nil)
    #expect(result.errors.count == 1)
    #expect(
      result.errors.first?.message
        == "the model uses ONNX opset \(opset); EdgeSim supports opsets 7 to 23"
    )
  }

  @Test(arguments: [11, 13, 17, 21] as [Int64])
  func supportedOpset(_ opset: Int64) throws {
    let result = try importModel(Self.relu(opset: opset))
    #expect(result.errors.isEmpty, "\(result.errorText)")
  }

  @Test func unknownDomain() throws {
    let m = model(
      inputs: [Self.x], outputs: ["y"],
      nodes: [
        node("FusedConv", ["x"], ["y"], name: "f", domain: "com.microsoft")
      ])
    let result = try importModel(m)
    #expect(result.value == nil)
    #expect(
      result.errorText.contains(
        "node 'f' (FusedConv) is in operator domain 'com.microsoft'"))
  }

  @Test func noDefaultOpset() throws {
    var m = Self.relu()
    m.opsetImport[0].domain = "ai.onnx.ml"
    let result = try importModel(m)
    #expect(result.errorText.contains("imports no default ONNX operator set"))
  }

  @Test func unboundSymbolicDimension() throws {
    let m = model(
      inputs: [valueInfo("x", ["N", "seq", 8])], outputs: ["y"],
      nodes: [node("Relu", ["x"], ["y"])])
    let result = try importModel(m)
    #expect(result.value == nil)
    let error = try #require(result.errors.first)
    #expect(error.location?.entity == "input 'x'")
    #expect(error.message.contains("symbolic dimension 'seq' at axis 1"))
    let bound = try importModel(
      m, options: ImportOptions(batch: 2, dimensions: ["seq": 5]))
    #expect(bound.value?.shapes.shape(of: "y")?.dims == [2, 5, 8])
  }

  @Test func unsupportedElementType() throws {
    var t = floatTensor("w", [1], [])
    t.dataType = Int32(Onnx_TensorProto.DataType.bfloat16.rawValue)
    let m = model(
      inputs: [Self.x], outputs: ["y"],
      nodes: [node("Add", ["x", "w"], ["y"])],
      initializers: [t])
    let result = try importModel(m)
    #expect(
      result.errorText.contains("tensor 'w' has element type BFLOAT16 (16)"))
  }

  @Test func emptyGraphIsRefused() throws {
    // ir_version 8, opset_import {version 13}, graph {}.
    let bytes: [UInt8] = [0x08, 0x08, 0x42, 0x02, 0x10, 0x0D, 0x3A, 0x00]
    let result = ONNXImporter.read(
      bytes: bytes, fileName: "empty.onnx", externalData: { _ in .notFound })
    #expect(result.value == nil)
    let error = try #require(result.errors.first)
    #expect(error.location?.file == "empty.onnx")
    #expect(error.message.contains("no nodes and no outputs"), "\(error)")
  }

  @Test func graphWithoutNodesOrWithoutOutputsIsRefused() throws {
    let noNodes = model(inputs: [Self.x], outputs: ["x"], nodes: [])
    #expect(try importModel(noNodes).errorText.contains("has no nodes"))
    let noOutputs = model(
      inputs: [Self.x], outputs: [],
      nodes: [node("Relu", ["x"], ["y"], name: "r")])
    #expect(try importModel(noOutputs).errorText.contains("has no outputs"))
    #expect(try importModel(Self.relu()).errors.isEmpty)
  }
}
