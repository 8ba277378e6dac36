import Diagnostics
import Foundation
import NetworkGraph
import ONNXImport
import Testing

/// The committed torchvision exports (shape-only: their `.weights` files are
/// deliberately absent) against fvcore's figures in
/// `Workloads/onnx/torchvision/reference-counts.json`.
@Suite struct TorchvisionModelTests {
  struct Reference: Decodable {
    let totalParams: Int
    let batchnormParams: Int
    let convGemmMacsTotal: Int
    let convGemmMacs: [String: Int]
    let onnxNodeOfModule: [String: String]

    enum CodingKeys: String, CodingKey {
      case totalParams = "total_params"
      case batchnormParams = "batchnorm_params"
      case convGemmMacsTotal = "conv_gemm_macs_total"
      case convGemmMacs = "conv_gemm_macs"
      case onnxNodeOfModule = "onnx_node_of_module"
    }
  }

  static let models = [
    "resnet18", "resnet50", "mobilenet_v2", "squeezenet1_1", "alexnet", "vgg16",
  ]

  static func references() throws -> [String: Reference] {
    let data = try Data(
      contentsOf: repositoryRoot.appendingPathComponent(
        "Workloads/onnx/torchvision/reference-counts.json"))
    return try JSONDecoder().decode([String: Reference].self, from: data)
  }

  @Test(arguments: models)
  func importsShapeOnlyWithWarning(_ name: String) throws {
    var asked: Set<String> = []
    let result = ONNXImporter.read(
      bytes: try workloadBytes("Workloads/onnx/torchvision/\(name).onnx"),
      fileName: "\(name).onnx",
      externalData: { request in
        asked.insert(request.location)
        return .notFound
      })
    #expect(result.errors.isEmpty, "\(result.errorText)")
    let model = try #require(result.value)
    #expect(asked == ["\(name).weights"])
    #expect(!model.hasAllWeights)
    #expect(!model.missingWeights.isEmpty)
    let warning = try #require(result.warnings.first)
    #expect(warning.message.contains("'\(name).weights' was not found"))
    #expect(warning.hint?.contains("inspect and simulate still work") == true)
    #expect(warning.hint?.contains("run and quantize") == true)
    #expect(model.opsetVersion == 13)
    // Identity, Dropout and every BatchNormalization are gone; the shape
    // constants (MobileNetV2's Clip bounds) are folded.
    let ops = Set(model.network.nodes.map(\.op.opType))
    #expect(!ops.contains("BatchNormalization"))
    #expect(!ops.contains("Identity"))
    #expect(model.shapes.shape(of: "logits")?.dims == [1, 1000])
  }

  @Test(arguments: models)
  func convAndGemmMACsAndParametersMatchFvcore(_ name: String) throws {
    let reference = try #require(try Self.references()[name])
    let result = ONNXImporter.read(
      bytes: try workloadBytes("Workloads/onnx/torchvision/\(name).onnx"),
      fileName: "\(name).onnx", externalData: { _ in .notFound })
    let model = try #require(result.value, "\(result.errorText)")
    let counts = try model.network.counts(shapes: model.shapes)

    var macsByNode: [String: Int] = [:]
    for entry in counts.entries
    where ["Conv", "Gemm"].contains(entry.node.opType) {
      #expect(
        macsByNode[entry.node.name] == nil, "duplicate node \(entry.node.name)")
      macsByNode[entry.node.name] = entry.counts.macs
    }
    // Every Conv/Gemm node is one fvcore module, and vice versa.
    #expect(macsByNode.count == reference.convGemmMacs.count)
    #expect(Set(macsByNode.keys) == Set(reference.onnxNodeOfModule.values))
    for (module, expected) in reference.convGemmMacs {
      let node = try #require(reference.onnxNodeOfModule[module])
      #expect(macsByNode[node] == expected, "\(name): \(module) (\(node))")
    }
    #expect(macsByNode.values.reduce(0, +) == reference.convGemmMacsTotal)
    #expect(counts.total.macs == reference.convGemmMacsTotal)

    // PyTorch counts BatchNorm's γ and β (2 per channel); after folding into
    // the preceding bias-free Conv one bias per channel remains, so the
    // folded total is lower by one per BN channel = batchnorm_params / 2
    // (Documentation/Counting.md, "After BatchNormalization folding").
    #expect(reference.batchnormParams % 2 == 0)
    #expect(
      counts.total.parameters == reference.totalParams - reference
        .batchnormParams / 2)
  }
}
