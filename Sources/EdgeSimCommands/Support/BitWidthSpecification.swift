import Diagnostics
import Foundation
import NetworkGraph
import PrecisionModel

/// The value of `quantize --bits` and `--weight-bits`: one width for every
/// layer, or widths per layer and per operator group.
///
/// Syntax: a number (`8`), or comma-separated `KEY=BITS` entries
/// (`conv1=8,fc=4,*=8`). A KEY is, by precedence:
/// 1. a layer: its node name (`/conv1/Conv`) or its short name, the node
///    name without the leading `/` and the trailing `/<OpType>` that
///    PyTorch's exporter adds (`conv1`, `layer1/layer1.0/conv1`);
/// 2. an operator group: `conv` (Conv, any group, so depthwise too), `fc`
///    (Gemm and MatMul), `gemm`, `matmul`, `add`, `mul`, `pool`
///    (AveragePool, GlobalAveragePool), `concat`;
/// 3. `*`, every other layer (a bare number means `*=number`).
///
/// Only layers that compute a new format (FIXED_POINT.md §11 computing
/// nodes) take widths; a `*` entry or a bare number is required. Widths are
/// from 2 to 32 (signed formats, §1).
struct BitWidthSpecification: Hashable, Sendable {
  /// One `KEY=BITS` entry, in command-line order.
  struct Entry: Hashable, Sendable {
    /// The layer, group or `*`.
    var key: String
    /// B.
    var bits: Int
  }

  /// The entries; a bare number is stored as `*`.
  var entries: [Entry]

  /// The groups and the ONNX operator types each selects.
  static let groups: [(name: String, opTypes: Set<String>)] = [
    ("conv", ["Conv"]), ("fc", ["Gemm", "MatMul"]), ("gemm", ["Gemm"]),
    ("matmul", ["MatMul"]),
    ("add", ["Add"]), ("mul", ["Mul"]),
    ("pool", ["AveragePool", "GlobalAveragePool"]),
    ("concat", ["Concat"]),
  ]

  /// The allowed widths.
  static let allowedBits = 2...32

  /// Parses the option's text.
  ///
  /// - Throws: A message for argument-parser's `ValidationError` (exit 2):
  ///   an empty entry, a width that is not a number from 2 to 32, or a
  ///   missing default.
  init(parsing text: String, option: String) throws(BitWidthSpecification
    .ParseError)
  {
    var entries: [Entry] = []
    for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
      let item = piece.trimmingCharacters(in: .whitespaces)
      let key: String
      let value: Substring
      if let equals = item.firstIndex(of: "=") {
        key = item[..<equals].trimmingCharacters(in: .whitespaces)
        value = item[item.index(after: equals)...]
        guard !key.isEmpty else {
          throw ParseError(
            "\(option): '\(item)' has no layer or group before '='")
        }
      } else {
        key = "*"
        value = Substring(item)
      }
      guard let bits = Int(value.trimmingCharacters(in: .whitespaces)),
        Self.allowedBits.contains(bits)
      else {
        throw ParseError(
          "\(option): '\(value)' in '\(item)' is not a width; widths are whole numbers from \(Self.allowedBits.lowerBound) to \(Self.allowedBits.upperBound)"
        )
      }
      entries.append(Entry(key: key, bits: bits))
    }
    guard entries.contains(where: { $0.key == "*" }) else {
      throw ParseError(
        "\(option): give a width for the other layers: a bare number or '*=8'")
    }
    self.entries = entries
  }

  /// A message saying why an option's text does not parse.
  struct ParseError: Error, CustomStringConvertible {
    /// The message.
    var description: String
    /// Creates a message.
    init(_ description: String) { self.description = description }
  }

  /// The `*` width (the last one given).
  var fallback: Int { entries.last { $0.key == "*" }?.bits ?? 8 }

  /// The short name of a node: `/conv1/Conv` → `conv1`.
  static func shortName(_ node: Node) -> String {
    var name = node.name
    if name.hasPrefix("/") { name.removeFirst() }
    if let slash = name.lastIndex(of: "/") {
      let last = name[name.index(after: slash)...]
      if last == node.op.opType || last.hasPrefix(node.op.opType + "_") {
        name = String(name[..<slash])
      }
    }
    return name
  }

  /// The width of every computing node that does not take the fallback.
  ///
  /// - Returns: Widths by node name.
  /// - Throws: ``CommandFailure`` (exit 2) for a key that is neither a
  ///   layer nor a group, or that names a layer which keeps its input's
  ///   format.
  func widths(for network: Network, option: String) throws(CommandFailure)
    -> [String: Int]
  {
    var layerWidths: [String: Int] = [:]
    var groupWidths: [String: Int] = [:]
    for entry in entries where entry.key != "*" {
      let named = network.nodes.filter {
        $0.name == entry.key || Self.shortName($0) == entry.key
      }
      if !named.isEmpty {
        for node in named {
          guard NodeKind(node.op) == .computing else {
            throw CommandFailure(
              .error(
                "\(option): layer '\(entry.key)' (\(node.op.opType)) keeps its input's format and takes no width",
                at: nil,
                hint: "give the width to the layer that produces its input"),
              status: EdgeSimMain.usage)
          }
          layerWidths[node.name] = entry.bits
        }
      } else if let group = Self.groups.first(where: { $0.name == entry.key }) {
        for node in network.nodes where group.opTypes.contains(node.op.opType) {
          groupWidths[node.name] = entry.bits
        }
      } else {
        var candidates: [String] = []
        for name in network.nodes.filter({ NodeKind($0.op) == .computing }).map(
          Self.shortName)
          + Self.groups.map(\.name) where !candidates.contains(name)
        {
          candidates.append(name)
        }
        throw CommandFailure(
          .error(
            "\(option): '\(entry.key)' is neither a layer of the model nor an operator group",
            at: nil, hint: Suggestions.hint(for: entry.key, among: candidates)),
          status: EdgeSimMain.usage)
      }
    }
    return groupWidths.merging(layerWidths) { _, layer in layer }
  }
}
