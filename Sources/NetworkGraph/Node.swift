/// One operation in a network: a name, an operator and the tensors it reads
/// and writes, by name.
///
/// An empty input name marks an omitted optional input, as in ONNX (for
/// example Clip with a `max` but no `min`).
public struct Node: Hashable, Sendable {
  /// The node's name, unique in its network (importers name unnamed nodes).
  public var name: String
  /// The operator and its attributes.
  public var op: Operator
  /// Input tensor names, in the operator's order.
  public var inputs: [String]
  /// Output tensor names, in the operator's order.
  public var outputs: [String]

  /// Creates a node.
  public init(name: String, op: Operator, inputs: [String], outputs: [String]) {
    self.name = name
    self.op = op
    self.inputs = inputs
    self.outputs = outputs
  }

  /// The node's name and operator type, for errors: `node 'conv1' (Conv)`.
  public var reference: NodeReference {
    NodeReference(name: name, opType: op.opType)
  }

  /// The input at `index`, or `nil` when absent or empty.
  public func input(_ index: Int) -> String? {
    guard index < inputs.count, !inputs[index].isEmpty else { return nil }
    return inputs[index]
  }
}
