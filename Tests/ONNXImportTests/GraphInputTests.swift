import Diagnostics
import NetworkGraph
import ONNXImport
import Testing

/// Graph inputs: batch binding, unnamed dimensions, initializers listed as
/// inputs.
@Suite struct GraphInputTests {
  @Test func initializersListedAsInputsAreConstants() throws {
    // Exporters before IR version 4 list every weight as a graph input too.
    let m = model(
      inputs: [valueInfo("x", [1, 2]), valueInfo("w", [1, 2])], outputs: ["y"],
      nodes: [node("Add", ["x", "w"], ["y"])],
      initializers: [floatTensor("w", [1, 2], [1, 2])])
    let result = try importModel(m)
    let model = try #require(result.value, "\(result.errorText)")
    #expect(model.network.inputs.map(\.name) == ["x"])
    #expect(
      try model.network.counts(shapes: model.shapes).total.parameters == 2)
  }

  @Test func unnamedLeadingDimensionIsTheBatch() throws {
    var input = valueInfo("x", [0, 3])
    input.type.tensorType.shape.dim[0] = Onnx_TensorShapeProto.Dimension()
    let m = model(
      inputs: [input], outputs: ["y"], nodes: [node("Relu", ["x"], ["y"])])
    let result = try importModel(m, options: ImportOptions(batch: 4))
    #expect(result.value?.shapes.shape(of: "y")?.dims == [4, 3])
  }

  @Test func batchSymbolBindsWhereverItAppears() throws {
    let m = model(
      inputs: [valueInfo("a", ["N", 3]), valueInfo("b", [3, "N"])],
      outputs: ["y"],
      nodes: [node("MatMul", ["a", "b"], ["y"])])
    let result = try importModel(m, options: ImportOptions(batch: 5))
    #expect(result.value?.shapes.shape(of: "y")?.dims == [5, 5])
  }

  @Test func requestedBatchOnAFixedModelIsAWarning() throws {
    let m = model(
      inputs: [valueInfo("x", [1, 3])], outputs: ["y"],
      nodes: [node("Relu", ["x"], ["y"])])
    let result = try importModel(m, options: ImportOptions(batch: 8))
    #expect(result.value != nil)
    #expect(
      result.warnings.first?.message
        == "the model's batch size is fixed, so the requested batch 8 is ignored"
    )
  }

  @Test func batchBelowOneIsAnError() throws {
    let m = model(
      inputs: [valueInfo("x", ["N", 3])], outputs: ["y"],
      nodes: [node("Relu", ["x"], ["y"])])
    let result = try importModel(m, options: ImportOptions(batch: 0))
    #expect(result.value == nil)
    #expect(
      result.errorText.contains("the batch size must be at least 1, not 0"))
  }
}
