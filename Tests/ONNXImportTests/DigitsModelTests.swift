import Diagnostics
import NetworkGraph
import ONNXImport
import Testing

/// The trained digits models carry their weights inline (`raw_data`).
@Suite struct DigitsModelTests {
  @Test(arguments: [("digits-plain", 3_818), ("digits-dwsep", 3_162)])
  func importsWithAllWeights(_ name: String, parameters: Int) throws {
    let result = ONNXImporter.read(
      bytes: try workloadBytes("Workloads/digits/\(name).onnx"),
      fileName: "\(name).onnx",
      externalData: { _ in
        Issue.record("no tensor is external")
        return .notFound
      })
    #expect(result.diagnostics.isEmpty, "\(result.errorText)")
    let model = try #require(result.value)
    #expect(model.hasAllWeights)
    #expect(model.missingWeights.isEmpty)
    #expect(model.shapeOnlyTensors.isEmpty)
    #expect(
      model.network.inputs.first?.dimensions == [
        .fixed(1), .fixed(1), .fixed(8), .fixed(8),
      ])
    #expect(model.shapes.shape(of: "logits")?.dims == [1, 10])
    let counts = try model.network.counts(shapes: model.shapes)
    #expect(counts.total.parameters == parameters)
    let weight = try #require(model.network.initializer(named: "conv1.weight"))
    #expect(weight.floatValues?.count == weight.shape.elementCount)
    #expect(weight.floatValues?.contains { $0 != 0 } == true)
  }

  @Test func symbolicBatchBindsToRequestedBatch() throws {
    let result = ONNXImporter.read(
      bytes: try workloadBytes("Workloads/digits/digits-plain.onnx"),
      fileName: "digits-plain.onnx", options: ImportOptions(batch: 8),
      externalData: { _ in .notFound })
    let model = try #require(result.value)
    #expect(result.diagnostics.isEmpty)
    #expect(model.shapes.shape(of: "input")?.dims == [8, 1, 8, 8])
    #expect(model.shapes.shape(of: "logits")?.dims == [8, 10])
  }
}
