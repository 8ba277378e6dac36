import Diagnostics
import NetworkGraph
import ONNXImport
import Testing

/// Tensors stored in a separate file, read through the caller's resolver.
@Suite struct ExternalDataTests {
  static func model(offset: Int?, length: Int?) -> Onnx_ModelProto {
    ONNXImportTests.model(
      inputs: [valueInfo("x", [1, 4])], outputs: ["y"],
      nodes: [node("Add", ["x", "w"], ["y"], name: "add")],
      initializers: [
        externalTensor(
          "w", [1, 4], location: "./w.bin", offset: offset, length: length)
      ])
  }

  static let values: [Float] = [1.5, -2, 0.25, 1e-3]
  static let file: [UInt8] =
    Array(repeating: 0xEE, count: 16) + littleEndianBytes(values)
    + Array(repeating: 0xAA, count: 8)

  @Test func resolverBytesGiveTheValuesAtOffsetAndLength() throws {
    var requests: [ExternalDataRequest] = []
    var files = ExternalDataFiles { path in path == "w.bin" ? Self.file : nil }
    let result = try importModel(Self.model(offset: 16, length: 16)) {
      request in
      requests.append(request)
      return files.resolve(request)
    }
    #expect(result.diagnostics.isEmpty, "\(result.errorText)")
    let model = try #require(result.value)
    #expect(
      requests == [
        ExternalDataRequest(
          tensorName: "w", location: "w.bin", offset: 16, length: 16)
      ])
    #expect(model.network.initializer(named: "w")?.floatValues == Self.values)
    #expect(model.hasAllWeights)
  }

  @Test func lengthDefaultsToTheTensorSize() throws {
    var files = ExternalDataFiles { _ in Self.file }
    let result = try importModel(Self.model(offset: 16, length: nil)) {
      files.resolve($0)
    }
    #expect(
      result.value?.network.initializer(named: "w")?.floatValues == Self.values)
  }

  @Test func notFoundGivesShapeOnlyTensorsAndAWarning() throws {
    let result = try importModel(Self.model(offset: 0, length: 16)) { _ in
      .notFound
    }
    #expect(result.errors.isEmpty)
    let model = try #require(result.value)
    #expect(!model.hasAllWeights)
    #expect(model.missingWeights == ["w"])
    #expect(model.shapeOnlyTensors == ["w"])
    #expect(model.network.initializer(named: "w")?.hasData == false)
    #expect(model.shapes.shape(of: "y")?.dims == [1, 4])
    let warning = try #require(result.warnings.first)
    #expect(
      warning.message
        == "external data file 'w.bin' was not found: 1 tensor is shape-only ('w')"
    )
    #expect(warning.hint?.contains("inspect and simulate still work") == true)
  }

  @Test func sliceOutsideTheFileIsAnError() throws {
    var files = ExternalDataFiles { _ in Array(Self.file.prefix(20)) }
    let result = try importModel(Self.model(offset: 16, length: 16)) {
      files.resolve($0)
    }
    #expect(result.value == nil)
    #expect(
      result.errorText.contains(
        "tensor 'w': cannot read external data from 'w.bin'"))
  }

  @Test func declaredLengthMustMatchTheShape() throws {
    let result = try importModel(Self.model(offset: 0, length: 12)) { _ in
      .bytes([])
    }
    #expect(
      result.errorText.contains(
        "tensor 'w' declares 12 bytes of external data, but shape [1, 4] of float32 needs 16"
      ))
  }

  @Test func resolverReturningTheWrongCountIsAnError() throws {
    let result = try importModel(Self.model(offset: 0, length: nil)) { _ in
      .bytes([1, 2, 3])
    }
    #expect(
      result.errorText.contains("tensor 'w': 'w.bin' gave 3 bytes at offset 0"))
  }

  @Test func hugeExternalTensorIsRefusedBeforeAsking() throws {
    let m = ONNXImportTests.model(
      inputs: [valueInfo("x", [1])], outputs: ["y"],
      nodes: [node("Add", ["x", "w"], ["y"])],
      initializers: [externalTensor("w", [1 << 38], location: "w.bin")])
    var asked = false
    let result = try importModel(m) { _ in
      asked = true
      return .notFound
    }
    #expect(!asked)
    #expect(
      result.errorText.contains(
        "tensor 'w' needs 1099511627776 bytes of external data, more than the limit"
      ))
  }

  @Test func subfolderLocationsAreNormalised() throws {
    let m = ONNXImportTests.model(
      inputs: [valueInfo("x", [1, 4])], outputs: ["y"],
      nodes: [node("Add", ["x", "w"], ["y"])],
      initializers: [
        externalTensor("w", [1, 4], location: "data/./sub/../w.bin")
      ])
    var seen: [String] = []
    _ = try importModel(m) { request in
      seen.append(request.location)
      return .notFound
    }
    #expect(seen == ["data/w.bin"])
  }
}
