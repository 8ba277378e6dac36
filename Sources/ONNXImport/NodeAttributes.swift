import Diagnostics
import Foundation

/// How diagnostics name an ONNX node: `node 'conv1' (Conv)`, or for an
/// unnamed node its position and first output: `node #7 writing 'y' (Conv)`.
func nodeEntity(_ node: Onnx_NodeProto, index: Int) -> String {
  if !node.name.isEmpty { return "node '\(node.name)' (\(node.opType))" }
  let output =
    node.output.first { !$0.isEmpty }.map { " writing '\($0)'" } ?? ""
  return "node #\(index)\(output) (\(node.opType))"
}

/// Typed access to a node's attributes, with the ONNX defaults supplied by
/// the caller and errors that name the node and attribute.
struct NodeAttributes {
  let context: ImportContext
  let entity: String
  private let byName: [String: Onnx_AttributeProto]

  init(_ node: Onnx_NodeProto, index: Int, context: ImportContext) {
    self.context = context
    self.entity = nodeEntity(node, index: index)
    var byName: [String: Onnx_AttributeProto] = [:]
    for attribute in node.attribute where byName[attribute.name] == nil {
      byName[attribute.name] = attribute
    }
    self.byName = byName
  }

  /// Whether the attribute is present.
  func has(_ name: String) -> Bool { byName[name] != nil }

  private func wrongType(_ name: String, _ expected: String) -> Diagnostic {
    context.error(
      "\(entity): attribute '\(name)' must be \(expected)", entity: entity)
  }

  /// An `INT` attribute, or `defaultValue` when absent.
  func int(_ name: String, default defaultValue: Int) throws(Diagnostic) -> Int
  {
    try optionalInt(name) ?? defaultValue
  }

  /// An `INT` attribute, or `nil` when absent.
  func optionalInt(_ name: String) throws(Diagnostic) -> Int? {
    guard let attribute = byName[name] else { return nil }
    guard
      attribute.type == .int || (attribute.type == .undefined && attribute.hasI)
    else {
      throw wrongType(name, "an integer")
    }
    return Int(attribute.i)
  }

  /// An `INT` attribute used as a flag (0 or 1).
  func flag(_ name: String, default defaultValue: Bool) throws(Diagnostic)
    -> Bool
  {
    guard let value = try optionalInt(name) else { return defaultValue }
    guard value == 0 || value == 1 else {
      throw context.error(
        "\(entity): attribute '\(name)' is \(value); it must be 0 or 1",
        entity: entity)
    }
    return value == 1
  }

  /// An `INTS` attribute, or `nil` when absent.
  func ints(_ name: String) throws(Diagnostic) -> [Int]? {
    guard let attribute = byName[name] else { return nil }
    guard
      attribute.type == .ints
        || (attribute.type == .undefined && !attribute.ints.isEmpty)
    else { throw wrongType(name, "a list of integers") }
    return attribute.ints.map { Int($0) }
  }

  /// A `FLOAT` attribute, or `defaultValue` when absent.
  func float(_ name: String, default defaultValue: Float) throws(Diagnostic)
    -> Float
  {
    try optionalFloat(name) ?? defaultValue
  }

  /// A `FLOAT` attribute, or `nil` when absent.
  func optionalFloat(_ name: String) throws(Diagnostic) -> Float? {
    guard let attribute = byName[name] else { return nil }
    guard
      attribute.type == .float
        || (attribute.type == .undefined && attribute.hasF)
    else {
      throw wrongType(name, "a float")
    }
    return attribute.f
  }

  /// A `FLOATS` attribute, or `nil` when absent.
  func floats(_ name: String) throws(Diagnostic) -> [Float]? {
    guard let attribute = byName[name] else { return nil }
    guard attribute.type == .floats || attribute.type == .undefined else {
      throw wrongType(name, "a list of floats")
    }
    return attribute.floats
  }

  /// A `STRING` attribute decoded as UTF-8, or `defaultValue` when absent.
  func string(_ name: String, default defaultValue: String) throws(Diagnostic)
    -> String
  {
    guard let attribute = byName[name] else { return defaultValue }
    guard
      attribute.type == .string
        || (attribute.type == .undefined && attribute.hasS),
      let text = String(data: attribute.s, encoding: .utf8)
    else { throw wrongType(name, "a UTF-8 string") }
    return text
  }

  /// A `STRINGS` attribute decoded as UTF-8, or `nil` when absent.
  func strings(_ name: String) throws(Diagnostic) -> [String]? {
    guard let attribute = byName[name] else { return nil }
    guard attribute.type == .strings || attribute.type == .undefined else {
      throw wrongType(name, "a list of strings")
    }
    var texts: [String] = []
    for data in attribute.strings {
      guard let text = String(data: data, encoding: .utf8) else {
        throw wrongType(name, "a list of UTF-8 strings")
      }
      texts.append(text)
    }
    return texts
  }

  /// A `TENSOR` attribute, or `nil` when absent.
  func tensor(_ name: String) throws(Diagnostic) -> Onnx_TensorProto? {
    guard let attribute = byName[name] else { return nil }
    guard
      attribute.type == .tensor
        || (attribute.type == .undefined && attribute.hasT)
    else {
      throw wrongType(name, "a tensor")
    }
    return attribute.t
  }

  /// A required attribute that is missing.
  func missing(_ name: String) -> Diagnostic {
    context.error(
      "\(entity): the required attribute '\(name)' is missing", entity: entity)
  }

  /// The names of the attributes present, sorted.
  var names: [String] { byName.keys.sorted() }
}
