import Foundation
import ONNXImport
import SwiftProtobuf

/// Small models of the families of issue #16, built in code.
///
/// A transformer
/// encoder block exported PyTorch-style (with a Shape → Gather → Unsqueeze →
/// Concat → Reshape chain), a YOLO/U-Net-style block, an LSTM, a
/// bidirectional GRU, a QDQ convolution and a QLinearConv. The MACs each
/// should have are in ``ModernOperatorTests``, computed by hand.
enum ModernModels {
  static func info(
    _ name: String, _ dims: [Int64], type: Int32 = 1, batch: String? = nil
  )
    -> Onnx_ValueInfoProto
  {
    var info = Onnx_ValueInfoProto()
    info.name = name
    info.type.tensorType.elemType = type
    info.type.tensorType.shape.dim = dims.enumerated().map { index, size in
      var dim = Onnx_TensorShapeProto.Dimension()
      if index == 0, let batch {
        dim.dimParam = batch
      } else {
        dim.dimValue = size
      }
      return dim
    }
    return info
  }

  /// A float tensor with deterministic small values.
  static func floats(_ name: String, _ dims: [Int64], value: Float? = nil)
    -> Onnx_TensorProto
  {
    var tensor = Onnx_TensorProto()
    tensor.name = name
    tensor.dims = dims
    tensor.dataType = 1
    let count = Int(dims.reduce(1, *))
    tensor.floatData = (0..<count).map {
      value ?? Float(($0 * 37) % 17 - 8) / 64
    }
    return tensor
  }

  static func ints(_ name: String, _ values: [Int64], scalar: Bool = false)
    -> Onnx_TensorProto
  {
    var tensor = Onnx_TensorProto()
    tensor.name = name
    tensor.dims = scalar ? [] : [Int64(values.count)]
    tensor.dataType = 7
    tensor.int64Data = values
    return tensor
  }

  /// An 8-bit (`type` 2 uint8, 3 int8) or int32 (6) tensor.
  static func integers(_ name: String, _ dims: [Int64], type: Int32)
    -> Onnx_TensorProto
  {
    var tensor = Onnx_TensorProto()
    tensor.name = name
    tensor.dims = dims
    tensor.dataType = type
    let count = Int(dims.reduce(1, *))
    tensor.int32Data = (0..<count).map {
      Int32(($0 * 29) % 13 - 6) & (type == 2 ? 0x7F : -1)
    }
    return tensor
  }

  static func node(
    _ op: String, _ inputs: [String], _ outputs: [String], name: String? = nil,
    _ attributes: [Onnx_AttributeProto] = []
  ) -> Onnx_NodeProto {
    var node = Onnx_NodeProto()
    node.opType = op
    node.input = inputs
    node.output = outputs
    node.name = name ?? outputs[0]
    node.attribute = attributes
    return node
  }

  static func int(_ name: String, _ value: Int64) -> Onnx_AttributeProto {
    var attribute = Onnx_AttributeProto()
    attribute.name = name
    attribute.type = .int
    attribute.i = value
    return attribute
  }

  static func ints(_ name: String, _ values: [Int64]) -> Onnx_AttributeProto {
    var attribute = Onnx_AttributeProto()
    attribute.name = name
    attribute.type = .ints
    attribute.ints = values
    return attribute
  }

  static func string(_ name: String, _ value: String) -> Onnx_AttributeProto {
    var attribute = Onnx_AttributeProto()
    attribute.name = name
    attribute.type = .string
    attribute.s = Data(value.utf8)
    return attribute
  }

  static func write(
    _ name: String, opset: Int64, inputs: [Onnx_ValueInfoProto],
    outputs: [Onnx_ValueInfoProto], nodes: [Onnx_NodeProto],
    initializers: [Onnx_TensorProto], to folder: URL
  ) throws -> String {
    var graph = Onnx_GraphProto()
    graph.name = name
    graph.node = nodes
    graph.input = inputs
    graph.output = outputs
    graph.initializer = initializers
    var set = Onnx_OperatorSetIdProto()
    set.version = opset
    var model = Onnx_ModelProto()
    model.irVersion = 8
    model.opsetImport = [set]
    model.graph = graph
    let url = folder.appendingPathComponent("\(name).onnx")
    try Data(model.serializedBytes() as [UInt8]).write(to: url)
    return url.path
  }

  /// A pre-LN transformer encoder block, `x [batch, 8, 16]`, 2 heads of 8,
  /// feed-forward 32, GELU written with Erf as PyTorch exports it, and the
  /// head split done by Reshape to a shape computed from `Shape(x)`.
  static func transformer(in folder: URL) throws -> String {
    var nodes: [Onnx_NodeProto] = [
      node(
        "LayerNormalization", ["x", "ln1_s", "ln1_b"], ["h"], [int("axis", -1)]),
      node("MatMul", ["h", "w_qkv"], ["qkv0"]),
      node("Add", ["qkv0", "b_qkv"], ["qkv"]),
      node(
        "Split", ["qkv", "split_sizes"], ["q", "k", "v"], name: "split_qkv",
        [int("axis", 2)]),
      node("Shape", ["x"], ["x_shape"]),
      node("Gather", ["x_shape", "zero"], ["batch"], [int("axis", 0)]),
      node("Gather", ["x_shape", "one"], ["seq"], [int("axis", 0)]),
      node("Unsqueeze", ["batch", "axes0"], ["batch1"]),
      node("Unsqueeze", ["seq", "axes0"], ["seq1"]),
      node(
        "Concat", ["batch1", "seq1", "heads_dh"], ["split_shape"],
        [int("axis", 0)]),
      node(
        "Concat", ["batch1", "seq1", "model_d"], ["merge_shape"],
        [int("axis", 0)]),
    ]
    for (name, perm) in [
      ("q", [0, 2, 1, 3]), ("k", [0, 2, 3, 1]), ("v", [0, 2, 1, 3]),
    ] {
      nodes.append(node("Reshape", [name, "split_shape"], ["\(name)4"]))
      nodes.append(
        node(
          "Transpose", ["\(name)4"], ["\(name)h"],
          [ints("perm", perm.map { Int64($0) })]))
    }
    nodes += [
      node("MatMul", ["qh", "kh"], ["scores"], name: "attention_scores"),
      node("Div", ["scores", "sqrt_dh"], ["scaled"]),
      node("Softmax", ["scaled"], ["probs"], [int("axis", -1)]),
      node("MatMul", ["probs", "vh"], ["context4"], name: "attention_context"),
      node(
        "Transpose", ["context4"], ["context_t"], [ints("perm", [0, 2, 1, 3])]),
      node("Reshape", ["context_t", "merge_shape"], ["context"]),
      node("MatMul", ["context", "w_o"], ["attended"]),
      node("Add", ["attended", "x"], ["residual1"]),
      node(
        "LayerNormalization", ["residual1", "ln2_s", "ln2_b"], ["h2"],
        [int("axis", -1)]),
      node("MatMul", ["h2", "w_1"], ["f1"]),
      node("Div", ["f1", "sqrt2"], ["f1_scaled"]),
      node("Erf", ["f1_scaled"], ["f1_erf"]),
      node("Add", ["f1_erf", "one_f"], ["f1_plus"]),
      node("Mul", ["f1", "f1_plus"], ["f1_mul"]),
      node("Mul", ["f1_mul", "half"], ["gelu"]),
      node("MatMul", ["gelu", "w_2"], ["f2"]),
      node("Add", ["f2", "residual1"], ["y"]),
    ]
    let initializers = [
      floats("ln1_s", [16], value: 1), floats("ln1_b", [16], value: 0),
      floats("ln2_s", [16], value: 1), floats("ln2_b", [16], value: 0),
      floats("w_qkv", [16, 48]), floats("b_qkv", [48]),
      ints("split_sizes", [16, 16, 16]), ints("zero", [0], scalar: true),
      ints("one", [1], scalar: true), ints("axes0", [0]),
      ints("heads_dh", [2, 8]), ints("model_d", [16]),
      floats("sqrt_dh", [], value: Float(8).squareRoot()),
      floats("w_o", [16, 16]), floats("w_1", [16, 32]),
      floats("w_2", [32, 16]),
      floats("sqrt2", [], value: Float(2).squareRoot()),
      floats("one_f", [], value: 1),
      floats("half", [], value: 0.5),
    ]
    return try write(
      "transformer-block", opset: 17,
      inputs: [info("x", [1, 8, 16], batch: "batch")],
      outputs: [info("y", [1, 8, 16], batch: "batch")], nodes: nodes,
      initializers: initializers, to: folder)
  }

  /// A YOLO/U-Net-style block on `x [1, 8, 8, 8]`: Conv, Split, ConvTranspose
  /// (×2), Resize (nearest ×2), Concat, Pad and PRelu.
  static func detector(in folder: URL) throws -> String {
    let nodes = [
      node("Conv", ["x", "w_c", "b_c"], ["c"], [ints("pads", [1, 1, 1, 1])]),
      node(
        "Split", ["c", "halves"], ["a", "b"], name: "split", [int("axis", 1)]),
      node("ConvTranspose", ["a", "w_t"], ["up"], [ints("strides", [2, 2])]),
      node("Resize", ["b", "", "scales"], ["r"], [string("mode", "nearest")]),
      node("Concat", ["up", "r"], ["cat"], [int("axis", 1)]),
      node("Pad", ["cat", "pads"], ["padded"]),
      node("PRelu", ["padded", "slope"], ["y"]),
    ]
    let initializers = [
      floats("w_c", [16, 8, 3, 3]), floats("b_c", [16]),
      ints("halves", [8, 8]),
      floats("w_t", [8, 4, 2, 2]), floats("scales", [4]),
      ints("pads", [0, 0, 1, 1, 0, 0, 1, 1]), floats("slope", [12, 1, 1]),
    ]
    var scales = initializers[4]
    scales.floatData = [1, 1, 2, 2]
    var all = initializers
    all[4] = scales
    return try write(
      "unet-block", opset: 13, inputs: [info("x", [1, 8, 8, 8])],
      outputs: [info("y", [1, 12, 18, 18])], nodes: nodes, initializers: all,
      to: folder)
  }

  /// An LSTM (`bidirectional` false) or GRU over `x [5, 1, 10]`, hidden 16,
  /// then a Gemm classifier on the last hidden state.
  static func recurrent(_ kind: String, bidirectional: Bool, in folder: URL)
    throws -> String
  {
    let gates: Int64 = kind == "LSTM" ? 4 : 3
    let directions: Int64 = bidirectional ? 2 : 1
    var attributes = [int("hidden_size", 16)]
    if bidirectional { attributes.append(string("direction", "bidirectional")) }
    let nodes = [
      node(
        kind, ["x", "w", "r", "b"], ["y_all", "y_h"], name: "rnn", attributes)
    ]
    let initializers = [
      floats("w", [directions, gates * 16, 10]),
      floats("r", [directions, gates * 16, 16]),
      floats("b", [directions, 2 * gates * 16]),
    ]
    return try write(
      "\(kind.lowercased())-kws", opset: 14, inputs: [info("x", [5, 1, 10])],
      outputs: [info("y_h", [directions, 1, 16])], nodes: nodes,
      initializers: initializers, to: folder)
  }

  /// A QDQ convolution (float input quantized to uint8, int8 weights
  /// dequantized) on `x [1, 3, 8, 8]` with a 4×3×3×3 kernel.
  static func qdq(in folder: URL) throws -> String {
    let nodes = [
      node("QuantizeLinear", ["x", "x_scale", "x_zero"], ["xq"]),
      node("DequantizeLinear", ["xq", "x_scale", "x_zero"], ["xd"]),
      node("DequantizeLinear", ["w_q", "w_scale", "w_zero"], ["w_d"]),
      node("Conv", ["xd", "w_d"], ["y"], name: "qdq_conv"),
    ]
    let initializers = [
      floats("x_scale", [], value: 0.05), integers("x_zero", [], type: 2),
      integers("w_q", [4, 3, 3, 3], type: 3),
      floats("w_scale", [], value: 0.01),
      integers("w_zero", [], type: 3),
    ]
    return try write(
      "qdq-conv", opset: 13, inputs: [info("x", [1, 3, 8, 8])],
      outputs: [info("y", [1, 4, 6, 6])], nodes: nodes,
      initializers: initializers, to: folder)
  }

  /// A QLinearConv on a uint8 input `[1, 3, 8, 8]`, int8 weights, int32
  /// bias.
  static func qLinearConv(in folder: URL) throws -> String {
    let nodes = [
      node(
        "QLinearConv",
        [
          "x", "x_scale", "x_zero", "w", "w_scale", "w_zero", "y_scale",
          "y_zero", "bias",
        ],
        ["y"], name: "qconv")
    ]
    let initializers = [
      floats("x_scale", [], value: 0.05), integers("x_zero", [], type: 2),
      integers("w", [4, 3, 3, 3], type: 3), floats("w_scale", [], value: 0.01),
      integers("w_zero", [], type: 3), floats("y_scale", [], value: 0.1),
      integers("y_zero", [], type: 2), integers("bias", [4], type: 6),
    ]
    return try write(
      "qlinear-conv", opset: 13, inputs: [info("x", [1, 3, 8, 8], type: 2)],
      outputs: [info("y", [1, 4, 6, 6], type: 2)], nodes: nodes,
      initializers: initializers, to: folder)
  }
}
