extension WeightModel {
  /// The two nodes of a low-rank layer (COMPRESSION.md §5).
  ///
  /// Gemm: `transB =
  /// 0` on both, `alpha` and `transA` on the first, the bias and `beta` on
  /// the second; MatMul: two MatMuls; Conv: the original attributes on the
  /// first, a 1×1 Conv with the bias second.
  static func split(
    _ node: Onnx_NodeProto, names: (String, String),
    weights: (String, String), middle: String, secondShape: [Int]
  ) -> [Onnx_NodeProto] {
    var first = Onnx_NodeProto()
    first.name = names.0
    first.opType = node.opType
    first.domain = node.domain
    first.input = [node.input[0], weights.0]
    first.output = [middle]
    var second = Onnx_NodeProto()
    second.name = names.1
    second.opType = node.opType
    second.domain = node.domain
    second.input = [middle, weights.1] + node.input.dropFirst(2)
    second.output = node.output
    switch node.opType {
    case "Gemm":
      first.attribute =
        node.attribute.filter { ["alpha", "transA"].contains($0.name) }
      second.attribute = node.attribute.filter { $0.name == "beta" }
    case "Conv":
      first.attribute = node.attribute
      let ones = Array(
        repeating: Int64(1), count: max(0, secondShape.count - 2))
      var kernel = Onnx_AttributeProto()
      kernel.name = "kernel_shape"
      kernel.type = .ints
      kernel.ints = ones
      second.attribute = [kernel]
    default:
      first.attribute = node.attribute
      second.attribute = []
    }
    return [first, second]
  }
}
