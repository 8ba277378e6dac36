/// The name and ONNX operator type of a node, as errors and diagnostics cite it.
///
/// Its ``description`` is the entity used in a diagnostic's
/// `SourceLocation(file:entity:)`: `node 'conv1' (Conv)`.
public struct NodeReference: Hashable, Sendable, CustomStringConvertible {
  /// The node's name (may be empty in files that do not name nodes).
  public var name: String
  /// The ONNX operator type, such as `Conv`.
  public var opType: String

  /// Creates a reference from a name and an operator type.
  public init(name: String, opType: String) {
    self.name = name
    self.opType = opType
  }

  /// `node 'conv1' (Conv)`.
  public var description: String { "node '\(name)' (\(opType))" }
}
