import NetworkGraph

/// How the float executor holds integer tensors, and which tensors are
/// integers.
///
/// Every tensor is a ``FloatTensor`` (Float32). Integer tensors (token ids,
/// attention masks, indices, shapes) hold their integers exactly: Float32
/// represents every integer of magnitude at most 2^24 = 16,777,216, and the
/// executor refuses a larger one where it enters as data (a graph input or
/// an integer constant) with an error naming the tensor, rather than round
/// it. Constants the operators read as metadata (Slice's `ends`, Pad's
/// `pads`, …) are read as integers from the model instead, so INT64_MAX
/// ends are fine. Booleans are 0 and 1.
///
/// Element types matter where ONNX integer arithmetic differs from float:
/// Div truncates, Mod follows the divisor's sign, Cast to an integer type
/// truncates toward zero.
enum ElementTypes {
  /// The largest integer magnitude Float32 holds exactly, with all smaller.
  static let exactIntegerLimit: Double = 16_777_216

  /// The element type of every tensor of `network`: inputs and constants as
  /// declared, node outputs by the operator's ONNX type rule (the input's
  /// type unless the operator fixes one).
  static func propagate(through network: Network) -> [String: ElementType] {
    var types: [String: ElementType] = [:]
    for input in network.inputs { types[input.name] = input.elementType }
    for tensor in network.initializers {
      types[tensor.name] = tensor.elementType
    }
    for node in network.nodes {
      let first = node.inputs.first.flatMap { types[$0] } ?? .float32
      var outputs = [ElementType](repeating: first, count: node.outputs.count)
      switch node.op {
      case .extended(let op):
        switch op {
        case .cast(let to): outputs = outputs.map { _ in to }
        case .elementwise(let function) where function.isPredicate:
          outputs = outputs.map { _ in .bool }
        case .elementwise(.whereSelect):
          let chosen = node.inputs.dropFirst().first.flatMap { types[$0] }
          outputs = outputs.map { _ in chosen ?? .float32 }
        case .argExtreme, .shape: outputs = outputs.map { _ in .int64 }
        case .topK:
          if outputs.count > 1 { outputs[1] = .int64 }
        case .constantOfShape(let type, _): outputs = outputs.map { _ in type }
        case .dequantizeLinear: outputs = outputs.map { _ in .float32 }
        default: break
        }
      default: break
      }
      for (name, type) in zip(node.outputs, outputs) where !name.isEmpty {
        types[name] = type
      }
    }
    return types
  }
}

extension FloatTensor {
  /// A constant as Float32: floats as stored, integers exactly.
  ///
  /// - Throws: ``ExecutionError/unsupported(node:message:)`` for an integer
  ///   constant holding a value beyond ±2^24 where the operator reads it as
  ///   data (`metadata` false), which Float32 cannot hold exactly.
  init(constant: Tensor, node: NodeReference, metadata: Bool)
    throws(ExecutionError)
  {
    if let integers = constant.integerValues {
      if !metadata,
        let index = integers.firstIndex(where: {
          Double($0).magnitude > ElementTypes.exactIntegerLimit
        })
      {
        throw .unsupported(
          node: node,
          message:
            "constant '\(constant.name)' holds \(integers[index]) at index "
            + "\(index); the float executor holds integers in Float32, exact "
            + "only up to 2^24 = 16777216")
      }
      self.init(
        unchecked: constant.shape.dims, values: integers.map { Float($0) })
      return
    }
    guard let floats = constant.floatValues else {
      throw .missingData(tensor: constant.name)
    }
    self.init(unchecked: constant.shape.dims, values: floats)
  }
}
