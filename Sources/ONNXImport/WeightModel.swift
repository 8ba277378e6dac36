import Diagnostics
import Foundation
import NetworkGraph
import SwiftProtobuf
import WeightCompression

/// An ONNX model read for `edgesim compress`: its layers with initializer
/// weights (COMPRESSION.md §1), as stored in the file (before any import
/// pass such as batch-norm folding), and the original `ModelProto`, which
/// ``exporting(_:)`` writes back with the compressed weights.
public struct WeightModel: Sendable {
  /// The decoded model, kept whole for the export.
  let proto: Onnx_ModelProto
  /// The unique node names (``ModelReader/uniqueNodeNames(_:)``), by index.
  let nodeNames: [String]
  /// Each layer's node index, by layer name.
  let nodeIndex: [String: Int]
  /// The layers, in node order: Conv, Gemm and MatMul nodes whose second
  /// input is a float32 initializer.
  public let layers: [WeightLayer]
  /// The model as the importer reads it (shapes inferred), for MAC counts.
  public let imported: ImportedModel

  /// Whether some initializer is stored in an external file, which a
  /// compressed model written elsewhere could not reference.
  public var usesExternalData: Bool {
    proto.graph.initializer.contains { $0.dataLocation == .external }
  }

  /// Reads a model's layers.
  ///
  /// The model is imported as ``ONNXImporter/read(bytes:fileName:options:externalData:)``
  /// does (its diagnostics are returned), and then its layers' weights are
  /// decoded from the original initializers. A layer's
  /// ``WeightCompression/WeightLayer/positions`` (MACs per weight) come from
  /// the inferred shape of its output at batch 1.
  public static func read(
    bytes: [UInt8], fileName: String,
    externalData: (ExternalDataRequest) -> ExternalDataResult
  ) -> LoadResult<WeightModel> {
    var options = ImportOptions()
    options.batch = 1
    let result = ONNXImporter.read(
      bytes: bytes, fileName: fileName, options: options,
      externalData: externalData)
    guard let imported = result.value else {
      return LoadResult(value: nil, diagnostics: result.diagnostics)
    }
    var decodeOptions = BinaryDecodingOptions()
    decodeOptions.messageDepthLimit = options.messageDepthLimit
    guard
      let proto = try? Onnx_ModelProto(
        serializedBytes: bytes, options: decodeOptions)
    else { return LoadResult(value: nil, diagnostics: result.diagnostics) }
    var diagnostics = result.diagnostics
    let context = ImportContext(fileName: fileName)
    let decoder = TensorDecoder(
      context: context,
      maximumExternalTensorBytes: options.maximumExternalTensorBytes)
    let graph = proto.graph
    let names = ModelReader.uniqueNodeNames(graph.node)
    var initializers: [String: Onnx_TensorProto] = [:]
    for tensor in graph.initializer { initializers[tensor.name] = tensor }
    var nodes: [String: Node] = [:]
    for node in imported.network.nodes { nodes[node.name] = node }
    var layers: [WeightLayer] = []
    var index: [String: Int] = [:]
    for (i, node) in graph.node.enumerated() {
      guard let kind = WeightLayer.Kind(rawValue: node.opType),
        node.input.count >= 2,
        let weight = initializers[node.input[1]],
        weight.dataType == Int32(Onnx_TensorProto.DataType.float.rawValue)
      else { continue }
      let values: [Float]
      do {
        let decoded = try decoder.decode(
          weight, name: weight.name, externalData: externalData)
        guard case .float32(let v) = decoded.tensor.storage else { continue }
        values = v
      } catch {
        diagnostics.append(error)
        continue
      }
      let attributes = Dictionary(
        node.attribute.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
      let shape = weight.dims.map { Int($0) }
      let bias =
        node.input.count > 2
        ? initializers[node.input[2]].map {
          $0.dims.reduce(1) { $0 * Int($1) }
        } ?? 0 : 0
      var layer = WeightLayer(
        name: names[i], kind: kind, shape: shape, weights: values,
        group: Int(attributes["group"]?.i ?? 1),
        transposed: kind == .gemm && attributes["transB"]?.i ?? 0 != 0,
        biasElements: kind == .matMul ? 0 : bias)
      layer.positions = positions(
        of: layer, node: nodes[names[i]], shapes: imported.shapes)
      index[layer.name] = i
      layers.append(layer)
    }
    guard !diagnostics.containsErrors else {
      return LoadResult(value: nil, diagnostics: diagnostics)
    }
    return LoadResult(
      value: WeightModel(
        proto: proto, nodeNames: names, nodeIndex: index, layers: layers,
        imported: imported),
      diagnostics: diagnostics)
  }

  /// MACs per weight: the output's elements over the output channels (the
  /// input's over the input channels for ConvTranspose).
  static func positions(
    of layer: WeightLayer, node: Node?, shapes: InferredShapes
  ) -> Int {
    guard let node else { return 0 }
    switch layer.kind {
    case .convTranspose:
      guard let input = node.inputs.first,
        let shape = shapes.shape(of: input), layer.shape.first ?? 0 > 0
      else { return 0 }
      return shape.elementCount / (layer.shape.first ?? 1)
    case .conv, .gemm, .matMul:
      let channels: Int
      switch layer.kind {
      case .conv: channels = layer.shape.first ?? 1
      case .gemm: channels = layer.matrixSize?.columns ?? 1
      default: channels = layer.shape.last ?? 1
      }
      guard let output = node.outputs.first,
        let shape = shapes.shape(of: output), channels > 0
      else { return 0 }
      return shape.elementCount / channels
    }
  }
}
