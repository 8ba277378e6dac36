import NetworkGraph
import Testing

/// Builds a one-node network whose activation inputs are graph inputs and
/// whose `constants` (by input position) are initializers, and infers it.
func inferOne(
  _ op: Operator, _ shapes: [[Int]?], constants: [Int: Tensor] = [:],
  outputs: Int = 1
) throws(NetworkError) -> [[Int]] {
  var network = Network(name: "one", inputs: [])
  var names: [String] = []
  for (index, shape) in shapes.enumerated() {
    if let tensor = constants[index] {
      try network.addInitializer(tensor)
      names.append(tensor.name)
    } else if let shape {
      network.inputs.append(GraphInput(name: "in\(index)", shape: shape))
      names.append("in\(index)")
    } else {
      names.append("")
    }
  }
  let outs = (0..<outputs).map { "out\($0)" }
  network.nodes = [Node(name: "n", op: op, inputs: names, outputs: outs)]
  network.outputs = outs
  let inferred = try network.inferShapes()
  return outs.map { inferred.shape(of: $0)?.dims ?? [] }
}

/// The single output shape of a one-node network.
func infer(
  _ op: Operator, _ shapes: [[Int]?], constants: [Int: Tensor] = [:]
) throws(NetworkError) -> [Int] {
  try inferOne(op, shapes, constants: constants)[0]
}

/// A float constant filled with a ramp (0, 1, 2, …) or the given values.
func constant(_ name: String, _ dims: [Int], _ values: [Float]? = nil) throws
  -> Tensor
{
  let shape = try TensorShape(dims)
  return try Tensor(
    name: name, shape: shape,
    values: values ?? (0..<shape.elementCount).map { Float($0) })
}

/// An int64 constant such as a Reshape target.
func integers(_ name: String, _ values: [Int64]) throws -> Tensor {
  try Tensor(name: name, shape: TensorShape([values.count]), integers: values)
}

/// A weight with absent data (shape-only models).
func absent(_ name: String, _ dims: [Int]) throws -> Tensor {
  Tensor(
    absentDataNamed: name, elementType: .float32, shape: try TensorShape(dims))
}

/// Whether `error` is a shape mismatch whose message contains every fragment.
func isMismatch(_ error: any Error, _ fragments: String...) -> Bool {
  guard let error = error as? NetworkError, case .shapeMismatch = error else {
    return false
  }
  return fragments.allSatisfy { error.message.contains($0) }
}

/// Whether `error` is an invalid-attribute error containing every fragment.
func isInvalidAttribute(_ error: any Error, _ fragments: String...) -> Bool {
  guard let error = error as? NetworkError, case .invalidAttribute = error
  else { return false }
  return fragments.allSatisfy { error.message.contains($0) }
}
