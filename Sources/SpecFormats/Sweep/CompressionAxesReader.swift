import DesignSpace
import Diagnostics
import PrecisionModel
import Yams

/// Reads a study's `compression` mapping: `huffman`, `groups` of layers
/// and `axes`, each over one compression key (COMPRESSION.md).
///
/// ```yaml
/// compression:
///   huffman: true                                  # optional
///   axes:
///     - {layers: all, density: [1, 0.5, 0.25]}
///     - {layers: /fc/Gemm, cluster_bits: [none, 8, 4]}
///     - {layers: /conv1/Conv, ternary: [none, 0.05, twn]}
/// ```
///
/// Layers are named as precision axes name them; groups are the section's
/// own and the study's precision groups.
enum CompressionAxesReader {
  /// What the section holds.
  struct Section {
    var axes: [CompressionAxis]
    var huffman: Bool
  }

  static func read(
    _ section: MappingReader, precisionGroups: [String: [String]]
  ) -> Section? {
    let document = section.document
    var failed = false
    let huffman = section.boolean("huffman")
    if section.has("huffman"), huffman == nil { failed = true }
    let own = PrecisionAxesReader.readGroups(
      section, section: "compression", failed: &failed)
    let groups = precisionGroups.merging(own) { _, mine in mine }
    var axes: [CompressionAxis] = []
    if let node = section.required(
      "axes", hint: "write axes: [{layers: all, density: [1, 0.5]}]")
    {
      guard let items = section.sequence(node, key: "axes") else { return nil }
      for (offset, item) in items.enumerated() {
        let path = FieldPath([
          .key("compression"), .key("axes"), .index(offset),
        ])
        guard
          let reader = MappingReader(
            item, in: document, path: path, what: "a compression axis")
        else {
          failed = true
          continue
        }
        if let axis = readAxis(reader, groups: groups) {
          if let twin = axes.first(where: { $0.name == axis.name }) {
            document.error(
              "two axes set '\(twin.name)'", at: item,
              hint: "merge their values into one axis")
            failed = true
          }
          axes.append(axis)
        } else {
          failed = true
        }
        reader.finish()
      }
    }
    return failed ? nil : Section(axes: axes, huffman: huffman ?? false)
  }

  static func readAxis(_ reader: MappingReader, groups: [String: [String]])
    -> CompressionAxis?
  {
    let document = reader.document
    let layers = PrecisionAxesReader.readLayers(reader, groups: groups)
    let keys = CompressionKey.allCases.filter { reader.has($0.rawValue) }
    guard keys.count == 1, let key = keys.first else {
      let written = keys.map { "'\($0.rawValue)'" }.joined(separator: ", ")
      document.error(
        keys.isEmpty
          ? "a compression axis needs one of density, cluster_bits, rank, energy or ternary"
          : "a compression axis varies one key, but this one has \(written)",
        at: reader.node,
        hint: "write one axis per key: {layers: all, density: [1, 0.5]}")
      return nil
    }
    guard let node = reader.value(key.rawValue),
      let levels = readLevels(node, key: key, reader: reader)
    else { return nil }
    guard let (label, selector) = layers else { return nil }
    return CompressionAxis(
      label: label, layers: selector, key: key, levels: levels)
  }

  /// The values of one key: a scalar or a list, `none` for off, `twn` for
  /// ternary; integer keys also take ranges (`2..8`).
  static func readLevels(
    _ node: Node, key: CompressionKey, reader: MappingReader
  ) -> [CompressionLevel]? {
    let document = reader.document
    let items: [Node]
    switch node {
    case .sequence(let sequence): items = Array(sequence)
    default: items = [node]
    }
    if items.isEmpty {
      document.error(
        "'\(key.rawValue)' is empty", at: node, hint: "write at least one value"
      )
      return nil
    }
    var levels: [CompressionLevel] = []
    for item in items {
      guard let read = readLevel(item, key: key, reader: reader) else {
        return nil
      }
      for level in read {
        if levels.contains(level) {
          document.error(
            "'\(key.rawValue)' lists \(level.canonical) twice", at: item,
            hint: "list each value once")
          return nil
        }
        levels.append(level)
      }
    }
    return levels
  }

  /// One written value (a range gives several).
  static func readLevel(
    _ node: Node, key: CompressionKey, reader: MappingReader
  ) -> [CompressionLevel]? {
    let document = reader.document
    let hint: String
    switch key {
    case .density:
      hint = "write fractions of weights kept in (0, 1]: [1, 0.5, 0.25]"
    case .clusterBits: hint = "write bits 1 to 8 or none: [none, 8, 4] or 2..8"
    case .rank: hint = "write ranks of at least 1 or none: [none, 16, 8]"
    case .energy:
      hint = "write fractions of Σσ² in (0, 1] or none: [none, 0.99, 0.9]"
    case .ternary:
      hint = "write thresholds in (0, 1], twn or none: [none, 0.05, twn]"
    }
    guard
      let text = reader.scalarText(
        node, key: key.rawValue, expected: "a value")
    else { return nil }
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed == "none" { return [.off] }
    if trimmed == "twn" {
      guard key == .ternary else {
        document.error(
          "'twn' is a ternary threshold, not a value of '\(key.rawValue)'",
          at: node, hint: hint)
        return nil
      }
      return [.twn]
    }
    switch key {
    case .clusterBits, .rank:
      let range = key == .clusterBits ? 1...8 : 1...(1 << 24)
      return IntegerValues.read(
        node, key: key.rawValue, in: range, document: document)?.map {
          .value(Double($0))
        }
    case .density, .energy, .ternary:
      return reader.number(
        node, key: key.rawValue, in: 0...1, excludingLower: true, hint: hint
      ).map { [.value($0)] }
    }
  }
}
