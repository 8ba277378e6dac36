import Diagnostics
import Foundation
import NetworkGraph
import ONNXImport
import SwiftProtobuf

// Builders for small ONNX models made with the generated message types, so
// the tests need no binary fixtures.

/// A graph-input dimension: a size or a symbol.
enum Dim: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
  case value(Int64)
  case param(String)
  init(integerLiteral value: Int64) { self = .value(value) }
  init(stringLiteral value: String) { self = .param(value) }
}

func valueInfo(_ name: String, _ dims: [Dim], elemType: Int32 = 1)
  -> Onnx_ValueInfoProto
{
  var shape = Onnx_TensorShapeProto()
  shape.dim = dims.map { dim in
    var d = Onnx_TensorShapeProto.Dimension()
    switch dim {
    case .value(let v): d.dimValue = v
    case .param(let p): d.dimParam = p
    }
    return d
  }
  var tensorType = Onnx_TypeProto.Tensor()
  tensorType.elemType = elemType
  tensorType.shape = shape
  var info = Onnx_ValueInfoProto()
  info.name = name
  info.type.tensorType = tensorType
  return info
}

func floatTensor(_ name: String, _ dims: [Int64], _ values: [Float])
  -> Onnx_TensorProto
{
  var t = Onnx_TensorProto()
  t.name = name
  t.dims = dims
  t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
  t.floatData = values
  return t
}

func int64Tensor(_ name: String, _ dims: [Int64], _ values: [Int64])
  -> Onnx_TensorProto
{
  var t = Onnx_TensorProto()
  t.name = name
  t.dims = dims
  t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
  t.int64Data = values
  return t
}

func rawTensor(
  _ name: String, _ dims: [Int64], type: Onnx_TensorProto.DataType,
  _ raw: [UInt8]
)
  -> Onnx_TensorProto
{
  var t = Onnx_TensorProto()
  t.name = name
  t.dims = dims
  t.dataType = Int32(type.rawValue)
  t.rawData = Data(raw)
  return t
}

func externalTensor(
  _ name: String, _ dims: [Int64], location: String, offset: Int? = nil,
  length: Int? = nil
) -> Onnx_TensorProto {
  var t = Onnx_TensorProto()
  t.name = name
  t.dims = dims
  t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
  t.dataLocation = .external
  var entries: [(String, String)] = [("location", location)]
  if let offset { entries.append(("offset", String(offset))) }
  if let length { entries.append(("length", String(length))) }
  t.externalData = entries.map { key, value in
    var entry = Onnx_StringStringEntryProto()
    entry.key = key
    entry.value = value
    return entry
  }
  return t
}

func attribute(_ name: String, int value: Int64) -> Onnx_AttributeProto {
  var a = Onnx_AttributeProto()
  a.name = name
  a.type = .int
  a.i = value
  return a
}

func attribute(_ name: String, ints value: [Int64]) -> Onnx_AttributeProto {
  var a = Onnx_AttributeProto()
  a.name = name
  a.type = .ints
  a.ints = value
  return a
}

func attribute(_ name: String, float value: Float) -> Onnx_AttributeProto {
  var a = Onnx_AttributeProto()
  a.name = name
  a.type = .float
  a.f = value
  return a
}

func attribute(_ name: String, tensor value: Onnx_TensorProto)
  -> Onnx_AttributeProto
{
  var a = Onnx_AttributeProto()
  a.name = name
  a.type = .tensor
  a.t = value
  return a
}

func node(
  _ op: String, _ inputs: [String], _ outputs: [String], name: String = "",
  domain: String = "", _ attributes: [Onnx_AttributeProto] = []
) -> Onnx_NodeProto {
  var n = Onnx_NodeProto()
  n.opType = op
  n.input = inputs
  n.output = outputs
  n.name = name
  if !domain.isEmpty { n.domain = domain }
  n.attribute = attributes
  return n
}

func model(
  opset: Int64 = 13, inputs: [Onnx_ValueInfoProto], outputs: [String],
  nodes: [Onnx_NodeProto], initializers: [Onnx_TensorProto] = []
) -> Onnx_ModelProto {
  var graph = Onnx_GraphProto()
  graph.name = "test"
  graph.input = inputs
  graph.output = outputs.map { valueInfo($0, []) }
  graph.node = nodes
  graph.initializer = initializers
  var opsetImport = Onnx_OperatorSetIdProto()
  opsetImport.domain = ""
  opsetImport.version = opset
  var m = Onnx_ModelProto()
  m.irVersion = 8
  m.opsetImport = [opsetImport]
  m.graph = graph
  return m
}

/// Serialises and imports a model; external data is "not found" unless a
/// resolver is given.
func importModel(
  _ m: Onnx_ModelProto, options: ImportOptions = .init(),
  externalData: (ExternalDataRequest) -> ExternalDataResult = { _ in .notFound }
) throws -> LoadResult<ImportedModel> {
  let bytes: [UInt8] = try m.serializedBytes()
  return ONNXImporter.read(
    bytes: bytes, fileName: "test.onnx", options: options,
    externalData: externalData)
}

extension LoadResult {
  var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
  var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
  /// Every error's message, entity and hint, for `contains` checks.
  var errorText: String {
    errors.map {
      "\($0.message) [\($0.location?.entity ?? "")] \($0.hint ?? "")"
    }
    .joined(separator: "\n")
  }
}

/// Little-endian bytes of float32 values.
func littleEndianBytes(_ values: [Float]) -> [UInt8] {
  values.flatMap { value -> [UInt8] in
    let bits = value.bitPattern.littleEndian
    return [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: bits >> UInt32($0)) }
  }
}

/// The repository root, from this file's path.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

func workloadBytes(_ relativePath: String) throws -> [UInt8] {
  [UInt8](
    try Data(contentsOf: repositoryRoot.appendingPathComponent(relativePath)))
}
