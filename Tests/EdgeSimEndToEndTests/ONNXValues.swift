import ONNXImport

/// Pieces of ONNX models that end-to-end tests build in code.
enum ONNXValues {
  /// A float32 tensor's value info with fixed dimensions.
  static func float32(_ name: String, _ dims: [Int64]) -> Onnx_ValueInfoProto {
    var info = Onnx_ValueInfoProto()
    info.name = name
    info.type.tensorType.elemType = 1
    info.type.tensorType.shape.dim = dims.map {
      var dim = Onnx_TensorShapeProto.Dimension()
      dim.dimValue = $0
      return dim
    }
    return info
  }
}
