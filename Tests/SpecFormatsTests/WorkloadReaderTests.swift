import Diagnostics
import Foundation
import NetworkGraph
import Testing

@testable import SpecFormats

/// Valid workload files: every layer kind, attribute forms and the nodes they
/// become.
@Suite struct WorkloadReaderTests {
  static func read(_ text: String) -> LoadResult<Network> {
    WorkloadReader.read(bytes: Array(text.utf8), fileName: "t.yaml")
  }

  @Test func everyLayerKindBuildsAndInfers() throws {
    let bytes = try Golden.bytes("workloads/features.yaml")
    let result = WorkloadReader.read(bytes: bytes, fileName: "features.yaml")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    let network = try #require(result.value)
    #expect(network.name == "features")
    #expect(network.inputs.first?.name == "image")
    #expect(
      network.inputs.first?.dimensions == [
        .fixed(2), .fixed(3), .fixed(32), .fixed(32),
      ])
    let shapes = try network.inferShapes()
    #expect(shapes.shape(of: "stem/relu6")?.dims == [2, 16, 16, 16])
    #expect(shapes.shape(of: "dw")?.dims == [2, 16, 16, 16])
    #expect(shapes.shape(of: "pool")?.dims == [2, 32, 9, 9])
    #expect(shapes.shape(of: "avg")?.dims == [2, 32, 8, 8])
    #expect(shapes.shape(of: "cat")?.dims == [2, 64, 8, 8])
    #expect(shapes.shape(of: "reshape")?.dims == [2, 64])
    #expect(network.outputs == ["prob"])
    #expect(shapes.shape(of: "prob")?.dims == [2, 10])
    // The unnamed relu is named after its kind and position.
    #expect(network.nodes.contains { $0.name == "relu_16" })
    // Nodes made by shorthands.
    let names = network.nodes.map(\.name)
    #expect(
      names.starts(with: [
        "stem", "stem/bn", "stem/relu6", "dw", "pw", "pw/hardswish",
      ]))
    #expect(network.validate(file: "features.yaml").isEmpty)
  }

  @Test func convAttributesMapToONNX() throws {
    let network = try #require(
      try Golden.bytes("workloads/features.yaml").withUnsafeBufferPointer {
        WorkloadReader.read(bytes: Array($0), fileName: "f.yaml").value
      })
    func conv(_ name: String) -> ConvAttributes? {
      guard
        case .conv(let attributes) = network.nodes.first(where: {
          $0.name == name
        })?.op
      else { return nil }
      return attributes
    }
    #expect(conv("stem")?.autoPad == .sameUpper)
    #expect(conv("stem")?.strides == [2, 2])
    #expect(conv("dw")?.group == 16)
    #expect(conv("dw")?.pads == [1, 1, 1, 1])
    #expect(conv("pw")?.group == 2)
    #expect(
      network.initializer(named: "pw.weight")?.shape.dims == [32, 8, 1, 1])
    #expect(network.initializer(named: "pw.bias") == nil)
    // batch_norm: bias defaults off.
    #expect(network.initializer(named: "stem.bias") == nil)
    #expect(network.initializer(named: "dw.bias")?.shape.dims == [16])
    #expect(network.initializer(named: "fc.weight")?.shape.dims == [10, 64])
    #expect(network.initializer(named: "stem.weight")?.hasData == false)
    guard
      case .maxPool(let pool) = network.nodes.first(where: { $0.name == "pool" }
      )?.op
    else {
      Issue.record("pool is not a MaxPool")
      return
    }
    #expect(
      pool.ceilMode && pool.strides == [2, 2] && pool.pads == [1, 1, 1, 1])
  }

  @Test func paddingForms() throws {
    for (padding, size) in [
      ("1", 32), ("[1, 2]", 34), ("[0, 0, 2, 2]", 32), ("valid", 30),
      ("same_lower", 32),
    ] {
      let text = """
        name: p
        input: [1, 1, 32, 32]
        layers:
          - {op: conv, filters: 1, kernel: 3, padding: \(padding)}
        """
      let network = try #require(Self.read(text).value, "padding \(padding)")
      let output = try network.inferShapes().shape(of: "conv_1")
      #expect(output?.dims.last == size, "padding \(padding)")
    }
  }

  @Test func poolStrideDefaultsToTheKernel() throws {
    let text =
      "name: p\ninput: [1, 1, 8, 8]\nlayers: [{op: avg_pool, kernel: 2}]\n"
    let network = try #require(Self.read(text).value)
    #expect(
      try network.inferShapes().shape(of: "avg_pool_1")?.dims == [1, 1, 4, 4])
  }

  @Test func theLastLayerIsTheOutputAndShapeOnlyCountsWork() throws {
    let text = """
      name: tiny
      input: [1, 3, 8, 8]
      layers:
        - {name: c, op: conv, filters: 4, kernel: 3}
        - {name: f, op: flatten}
        - {name: fc, op: fc, units: 2, bias: false}
      """
    let network = try #require(Self.read(text).value)
    #expect(network.outputs == ["fc"])
    let counts = try network.counts()
    // conv: 4·6·6 outputs × 3·3·3; fc: 144 × 2.
    #expect(counts.total.macs == 4 * 36 * 27 + 144 * 2)
    #expect(counts.total.parameters == 4 * 27 + 4 + 144 * 2)
  }
}
