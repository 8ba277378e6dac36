import Foundation
import NetworkGraph
import SwiftProtobuf

extension WeightModel {
  /// Why a QDQ model cannot be written.
  public enum QDQExportError: Error, Hashable, Sendable, CustomStringConvertible
  {
    /// The model's default-domain opset is below what the plan needs (10
    /// for QuantizeLinear, 13 for per-channel axes).
    case opset(found: Int, needed: Int)

    /// One line of English.
    public var description: String {
      switch self {
      case .opset(let found, let needed):
        "the model imports ONNX opset \(found); the QDQ model needs opset \(needed) or later"
      }
    }
  }

  /// The original model as a QDQ model.
  ///
  /// See `Documentation/Quantization.md`, "Affine integers", A5. Every
  /// activation of `plan` gets a
  /// QuantizeLinear and a DequantizeLinear right after its producer (a graph
  /// output keeps its name on the DequantizeLinear), and every quantized
  /// constant is stored as integers behind a DequantizeLinear. Everything
  /// else (nodes, other initializers, metadata, opsets) is kept.
  ///
  /// - Returns: The serialised `ModelProto`.
  /// - Throws: ``QDQExportError`` for an opset too old; SwiftProtobuf's
  ///   encoding error (not expected).
  public func exportingQDQ(_ plan: QDQPlan) throws -> [UInt8] {
    var model = proto
    let opset = Int(
      model.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }?
        .version ?? 0)
    let needed = plan.constants.contains { $0.scales.count > 1 } ? 13 : 10
    guard opset >= needed else {
      throw QDQExportError.opset(found: opset, needed: needed)
    }
    var graph = model.graph
    var names = Set(graph.initializer.map(\.name))
    for node in graph.node { names.formUnion(node.input + node.output) }
    names.formUnion(graph.input.map(\.name) + nodeNames)
    func fresh(_ base: String) -> String { freshName(base, avoiding: &names) }

    var initializers = graph.initializer
    var replaced: Set<String> = []
    var before: [Int: [Onnx_NodeProto]] = [:]
    var after: [Int: [Onnx_NodeProto]] = [:]
    var atStart: [Onnx_NodeProto] = []
    var nodes = graph.node
    let graphOutputs = Set(graph.output.map(\.name))
    var producer: [String: Int] = [:]
    for (index, node) in nodes.enumerated() {
      for output in node.output where !output.isEmpty {
        producer[output] = index
      }
    }
    // Constants: integers behind a DequantizeLinear just before the node.
    for constant in plan.constants {
      guard let index = nodeNames.firstIndex(of: constant.node),
        constant.input < nodes[index].input.count
      else { continue }
      let original = nodes[index].input[constant.input]
      let stored = fresh(original + "_quantized")
      let scale = fresh(original + "_scale")
      let zero = fresh(original + "_zero_point")
      let output = fresh(original + "_DequantizeLinear_Output")
      initializers.append(
        Self.integerTensor(
          stored, shape: constant.shape, values: constant.values,
          type: constant.elementType))
      let scaleShape = constant.scales.count == 1 ? [] : [constant.scales.count]
      initializers.append(
        Self.tensor(scale, shape: scaleShape, values: constant.scales))
      initializers.append(
        Self.integerTensor(
          zero, shape: scaleShape,
          values: Array(repeating: 0, count: constant.scales.count),
          type: constant.elementType))
      var dq = Self.node(
        "DequantizeLinear", name: fresh(original + "_DequantizeLinear"),
        inputs: [stored, scale, zero], outputs: [output])
      if let axis = constant.axis, constant.scales.count > 1 {
        dq.attribute.append(Self.intAttribute("axis", Int64(axis)))
      }
      before[index, default: []].append(dq)
      replaced.insert(original)
      nodes[index].input[constant.input] = output
    }
    // Activations: a QuantizeLinear/DequantizeLinear pair after the
    // producer; readers read the DequantizeLinear.
    for (tensor, parameters) in plan.activations.sorted(by: { $0.key < $1.key })
    {
      let scale = fresh(tensor + "_scale")
      let zero = fresh(tensor + "_zero_point")
      initializers.append(
        Self.tensor(scale, shape: [], values: [parameters.scale]))
      initializers.append(
        Self.integerTensor(
          zero, shape: [], values: [parameters.zeroPoint],
          type: parameters.elementType))
      let quantized = fresh(tensor + "_QuantizeLinear_Output")
      var source = tensor
      var dequantized = fresh(tensor + "_DequantizeLinear_Output")
      if graphOutputs.contains(tensor), let index = producer[tensor] {
        // The graph output keeps its name, on the DequantizeLinear.
        source = fresh(tensor + "_QuantizeLinear_Input")
        for (position, output) in nodes[index].output.enumerated()
        where output == tensor {
          nodes[index].output[position] = source
        }
        dequantized = tensor
      }
      let pair = [
        Self.node(
          "QuantizeLinear", name: fresh(tensor + "_QuantizeLinear"),
          inputs: [source, scale, zero], outputs: [quantized]),
        Self.node(
          "DequantizeLinear", name: fresh(tensor + "_DequantizeLinear"),
          inputs: [quantized, scale, zero], outputs: [dequantized]),
      ]
      if dequantized != tensor {
        for index in nodes.indices {
          for (position, input) in nodes[index].input.enumerated()
          where input == tensor {
            nodes[index].input[position] = dequantized
          }
        }
      }
      if let index = producer[tensor] {
        after[index, default: []] += pair
      } else {
        atStart += pair
      }
    }
    graph.node =
      atStart
      + nodes.enumerated().flatMap { index, node in
        (before[index] ?? []) + [node] + (after[index] ?? [])
      }
    // Float weights now read by no node are dropped.
    let read = Set(graph.node.flatMap(\.input))
    let unread = replaced.subtracting(read)
    graph.initializer = initializers.filter { !unread.contains($0.name) }
    graph.input.removeAll { unread.contains($0.name) }
    model.graph = graph
    return try model.serializedBytes()
  }

  static func node(
    _ opType: String, name: String, inputs: [String], outputs: [String]
  ) -> Onnx_NodeProto {
    var node = Onnx_NodeProto()
    node.opType = opType
    node.name = name
    node.input = inputs
    node.output = outputs
    return node
  }

  static func intAttribute(_ name: String, _ value: Int64)
    -> Onnx_AttributeProto
  {
    var attribute = Onnx_AttributeProto()
    attribute.name = name
    attribute.type = .int
    attribute.i = value
    return attribute
  }

  /// An int8, uint8 or int32 initializer in little-endian `raw_data`.
  static func integerTensor(
    _ name: String, shape: [Int], values: [Int64], type: ElementType
  ) -> Onnx_TensorProto {
    var t = Onnx_TensorProto()
    t.name = name
    t.dims = shape.map { Int64($0) }
    t.dataType = Int32(type.rawValue)
    var bytes = [UInt8]()
    bytes.reserveCapacity(values.count * type.byteSize)
    for value in values {
      for byte in 0..<type.byteSize {
        bytes.append(UInt8(truncatingIfNeeded: value >> (8 * byte)))
      }
    }
    t.rawData = Data(bytes)
    return t
  }
}
