import Diagnostics

/// Everything that can go wrong when building, checking, transforming or
/// counting a ``Network``.
///
/// The set is closed, so functions in this module use typed throws
/// (`throws(NetworkError)`). Each case carries the names and shapes involved;
/// ``message`` renders it to English and ``diagnostic(file:)`` turns it into a
/// ``Diagnostic`` whose location names the node or tensor.
public enum NetworkError: Error, Hashable, Sendable, CustomStringConvertible {
  /// A dimension is negative. `tensor` is `nil` when the shape has no name yet.
  case negativeDimension(dims: [Int], tensor: String?)
  /// A shape holds more than ``TensorShape/maximumElementCount`` elements.
  case tooManyElements(dims: [Int], tensor: String?)
  /// A count or size does not fit in `Int` (or a tensor is absurdly large).
  case overflow(what: String, node: NodeReference?)
  /// A tensor is used but neither a graph input, an initializer nor produced
  /// by a node. `node` is `nil` for a graph output that nothing produces.
  case missingTensor(name: String, node: NodeReference?)
  /// A tensor has more than one producer (nodes, graph inputs, initializers).
  case duplicateProducer(tensor: String, producers: [String])
  /// Two nodes share a name.
  case duplicateNodeName(String)
  /// The nodes form a cycle; they are listed along the cycle, in data-flow
  /// order.
  case cycle(nodes: [NodeReference])
  /// A graph input still has a symbolic dimension when a concrete shape is
  /// needed (bind it with ``Network/bindingBatch(_:)``).
  case unboundDimension(input: String, symbol: String)
  /// A symbolic dimension was bound to a value below 1.
  case invalidBinding(symbol: String, value: Int)
  /// An attribute value is not allowed (a zero stride, an out-of-range axis).
  case invalidAttribute(node: NodeReference, message: String)
  /// Input shapes do not fit the operator; the message names the shapes.
  case shapeMismatch(node: NodeReference, message: String)
  /// A node has the wrong number of inputs or outputs.
  case arity(node: NodeReference, message: String)
  /// An operand that must be a constant (a Reshape target) is not one, or
  /// its data is absent.
  case nonConstantOperand(node: NodeReference, tensor: String, role: String)
  /// A constant tensor's data does not match its shape or type.
  case invalidTensor(name: String, message: String)

  /// The node the error is about, if any.
  public var node: NodeReference? {
    switch self {
    case .overflow(_, let node), .missingTensor(_, let node): node
    case .invalidAttribute(let node, _), .shapeMismatch(let node, _),
      .arity(let node, _), .nonConstantOperand(let node, _, _):
      node
    default: nil
    }
  }

  /// The problem in one sentence, naming the node, operator and shapes.
  public var message: String {
    switch self {
    case .negativeDimension(let dims, let tensor):
      return
        "\(Self.subject(tensor))shape \(Self.list(dims)) has a negative dimension"
    case .tooManyElements(let dims, let tensor):
      return "\(Self.subject(tensor))shape \(Self.list(dims)) has more than "
        + "2^40 elements"
    case .overflow(let what, let node):
      return (node.map { "\($0): " } ?? "")
        + "\(what) overflows a 64-bit integer"
    case .missingTensor(let name, let node):
      if let node {
        return "\(node) reads tensor '\(name)', which nothing produces"
      }
      return "graph output '\(name)' is produced by no node"
    case .duplicateProducer(let tensor, let producers):
      return "tensor '\(tensor)' has several producers: "
        + producers.joined(separator: ", ")
    case .duplicateNodeName(let name):
      return "more than one node is named '\(name)'"
    case .cycle(let nodes):
      return "the graph has a cycle through nodes "
        + nodes.map { "'\($0.name)'" }.joined(separator: " -> ")
    case .unboundDimension(let input, let symbol):
      return
        "graph input '\(input)' has the unbound symbolic dimension '\(symbol)'"
    case .invalidBinding(let symbol, let value):
      return
        "dimension '\(symbol)' cannot be bound to \(value); it must be at least 1"
    case .invalidAttribute(let node, let message),
      .shapeMismatch(let node, let message), .arity(let node, let message):
      return "\(node): \(message)"
    case .nonConstantOperand(let node, let tensor, let role):
      return "\(node): the \(role) '\(tensor)' must be a constant with data"
    case .invalidTensor(let name, let message):
      return "tensor '\(name)': \(message)"
    }
  }

  /// Same as ``message``.
  public var description: String { message }

  /// The error as a diagnostic located in `file`, naming the node (or
  /// tensor) as the location's entity.
  ///
  /// - Parameter file: The model file as the user wrote it.
  /// - Returns: An error diagnostic such as
  ///   `model.onnx (node 'conv1' (Conv)): error: …`.
  public func diagnostic(file: String) -> Diagnostic {
    var entity: String? = node?.description
    switch self {
    case .negativeDimension(_, let tensor?), .tooManyElements(_, let tensor?):
      entity = "tensor '\(tensor)'"
    case .invalidTensor(let name, _):
      entity = "tensor '\(name)'"
    case .missingTensor(let name, nil):
      entity = "output '\(name)'"
    case .unboundDimension(let input, _):
      entity = "input '\(input)'"
    case .cycle(let nodes):
      entity = nodes.first?.description
    default: break
    }
    let hint: String? =
      switch self {
      case .unboundDimension: "bind the batch dimension (for example --batch 1)"
      default: nil
      }
    return .error(
      message, at: SourceLocation(file: file, entity: entity), hint: hint)
  }

  static func subject(_ tensor: String?) -> String {
    tensor.map { "tensor '\($0)': " } ?? ""
  }

  static func list(_ values: [Int]) -> String {
    "[" + values.map(String.init).joined(separator: ", ") + "]"
  }
}
