import Foundation
import SwiftProtobuf
import WeightCompression

extension WeightModel {
  /// The original model with the compressed weights (COMPRESSION.md §7):
  /// a whole layer's weight initializer holds the decoded values, and a
  /// low-rank layer becomes two nodes `NODE_a` and `NODE_b` (§5) with new
  /// initializers; everything else (other nodes, initializers, metadata,
  /// opsets) is kept as it was.
  ///
  /// A weight initializer that other nodes also read is left as it is and
  /// the layer gets a new one. Written initializers are float32 `raw_data`.
  ///
  /// - Returns: The serialised `ModelProto`.
  /// - Throws: SwiftProtobuf's encoding error (not expected for a model that
  ///   was decoded).
  public func exporting(_ outcome: CompressionOutcome) throws -> [UInt8] {
    var model = proto
    var graph = model.graph
    var names = Set(graph.initializer.map(\.name))
    for node in graph.node { names.formUnion(node.input + node.output) }
    names.formUnion(graph.input.map(\.name) + nodeNames)
    func fresh(_ base: String) -> String {
      freshName(base, avoiding: &names)
    }
    var readers: [String: Int] = [:]
    for node in graph.node {
      for input in node.input where !input.isEmpty {
        readers[input, default: 0] += 1
      }
    }
    var replacements: [Int: [Onnx_NodeProto]] = [:]
    var initializers = graph.initializer
    var removed: Set<String> = []
    for layer in outcome.layers {
      guard let i = nodeIndex[layer.name] else { continue }
      var node = graph.node[i]
      let weightName = node.input[1]
      let shared = readers[weightName, default: 0] > 1
      if layer.parts.count == 1 {
        let part = layer.parts[0]
        let name = shared ? fresh(layer.name + "_weight") : weightName
        node.input[1] = name
        node.name = layer.name  // kept when split nodes shift indices
        Self.put(
          Self.tensor(name, shape: part.shape, values: part.decoded),
          into: &initializers)
        replacements[i] = [node]
        continue
      }
      let (a, b) = (layer.parts[0], layer.parts[1])
      let aWeight = fresh(a.name + "_weight")
      let bWeight = fresh(b.name + "_weight")
      initializers.append(
        Self.tensor(aWeight, shape: a.shape, values: a.decoded))
      initializers.append(
        Self.tensor(bWeight, shape: b.shape, values: b.decoded))
      if !shared { removed.insert(weightName) }
      let middle = fresh(a.name + "_output")
      replacements[i] = Self.split(
        node, names: (a.name, b.name), weights: (aWeight, bWeight),
        middle: middle, secondShape: b.shape)
    }
    graph.node = graph.node.enumerated().flatMap { i, node in
      replacements[i] ?? [node]
    }
    graph.initializer = initializers.filter { !removed.contains($0.name) }
    graph.input.removeAll { removed.contains($0.name) }
    graph.valueInfo.removeAll { removed.contains($0.name) }
    model.graph = graph
    return try model.serializedBytes()
  }

  /// Replaces the initializer of the same name, or appends.
  static func put(
    _ tensor: Onnx_TensorProto, into list: inout [Onnx_TensorProto]
  ) {
    if let i = list.firstIndex(where: { $0.name == tensor.name }) {
      list[i] = tensor
    } else {
      list.append(tensor)
    }
  }

  /// A float32 initializer in `raw_data`.
  static func tensor(_ name: String, shape: [Int], values: [Float])
    -> Onnx_TensorProto
  {
    var t = Onnx_TensorProto()
    t.name = name
    t.dims = shape.map { Int64($0) }
    t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    var bytes = [UInt8]()
    bytes.reserveCapacity(values.count * 4)
    for v in values {
      let bits = v.bitPattern
      bytes += [
        UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
        UInt8(truncatingIfNeeded: bits >> 16),
        UInt8(truncatingIfNeeded: bits >> 24),
      ]
    }
    t.rawData = Data(bytes)
    return t
  }
}
