import DesignSpace
import Diagnostics
import PrecisionModel
import Yams

/// Reads a study's `precision` mapping: `groups` of layers and `axes`.
///
/// ```yaml
/// precision:
///   default_bits: 8
///   groups:
///     convs: [/conv1/Conv, /conv2/Conv]
///   axes:
///     - {layers: convs, bits: [4, 8]}         # a group
///     - {layers: /fc/Gemm, bits: 8, fl: 2..7} # one layer
///     - {layers: all, bits: 16}               # every layer
/// ```
enum PrecisionAxesReader {
  /// The axes and the groups, or `nil` after a problem.
  static func read(_ precision: MappingReader) -> (
    axes: [PrecisionAxis], groups: [String: [String]]
  )? {
    let document = precision.document
    var failed = false
    let groups = readGroups(precision, section: "precision", failed: &failed)
    var axes: [PrecisionAxis] = []
    if let node = precision.value("axes") {
      guard let items = precision.sequence(node, key: "axes") else {
        return nil
      }
      for (offset, item) in items.enumerated() {
        let path = FieldPath([.key("precision"), .key("axes"), .index(offset)])
        guard
          let reader = MappingReader(
            item, in: document, path: path, what: "a precision axis")
        else {
          failed = true
          continue
        }
        if let axis = readAxis(reader, groups: groups) {
          if let twin = axes.first(where: { $0.label == axis.label }) {
            document.error(
              "two axes set '\(twin.label)'", at: item,
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
    return failed ? nil : (axes, groups)
  }

  /// A section's `groups` mapping: named lists of layers (`all` is
  /// reserved); sets `failed` after a problem.
  static func readGroups(
    _ section: MappingReader, section sectionName: String, failed: inout Bool
  ) -> [String: [String]] {
    let document = section.document
    var groups: [String: [String]] = [:]
    if let node = section.value("groups") {
      if let reader = MappingReader(
        node, in: document, path: [sectionName, "groups"], what: "'groups'")
      {
        for (key, value) in reader.mapping {
          guard case .scalar(let name) = key else { continue }
          reader.allow([name.string])
          if name.string == "all" {
            document.error(
              "a group may not be named 'all'", at: key,
              hint: "'all' already means every layer")
            failed = true
            continue
          }
          guard let list = reader.nameList(value, key: name.string),
            !list.isEmpty
          else {
            if case .sequence(let s) = value, s.isEmpty {
              document.error(
                "group '\(name.string)' is empty", at: value,
                hint: "list its layers")
            }
            failed = true
            continue
          }
          groups[name.string] = list.map(\.name)
        }
        reader.finish()
      } else {
        failed = true
      }
    }
    return groups
  }

  /// An axis's `layers`: its label and selector, or `nil` after a problem.
  static func readLayers(_ reader: MappingReader, groups: [String: [String]])
    -> (label: String, selector: LayerSelector)?
  {
    let document = reader.document
    let layersHint =
      "write layers: a layer name, a group from 'groups', a list of layer names, or all"
    guard let layersNode = reader.required("layers", hint: layersHint) else {
      return nil
    }
    if case .scalar(let scalar) = layersNode {
      let name = scalar.string
      if name == "all" { return ("all", .all) }
      if let members = groups[name] { return (name, .named(members)) }
      if !name.isEmpty { return (name, .named([name])) }
      document.error("'layers' is empty", at: layersNode, hint: layersHint)
      return nil
    }
    guard let list = reader.nameList(layersNode, key: "layers") else {
      return nil
    }
    if list.isEmpty {
      document.error("'layers' is empty", at: layersNode, hint: layersHint)
      return nil
    }
    let names = list.map(\.name)
    return (names.joined(separator: "+"), .named(names))
  }

  static func readAxis(_ reader: MappingReader, groups: [String: [String]])
    -> PrecisionAxis?
  {
    let document = reader.document
    let layers = readLayers(reader, groups: groups)
    let bitsNode = reader.required(
      "bits", hint: "write bits: 8, bits: [4, 8] or bits: 4..8")
    let flNode = reader.value("fl")
    let weightNode = reader.value("weight_fl")
    let activationNode = reader.value("activation_fl")
    let bits = bitsNode.flatMap {
      IntegerValues.read($0, key: "bits", in: 1...32, document: document)
    }
    if let flNode, weightNode != nil || activationNode != nil {
      document.error(
        "'fl' sets both roles, so it cannot be written with 'weight_fl' or 'activation_fl'",
        at: flNode, hint: "write fl alone, or weight_fl and activation_fl")
      return nil
    }
    func values(_ node: Node?, _ key: String) -> [Int?]? {
      guard let node else { return [nil] }
      return IntegerValues.read(
        node, key: key, in: -32...64, document: document)
    }
    guard let fls = values(flNode, "fl"),
      let weightFLs = values(weightNode, "weight_fl"),
      let activationFLs = values(activationNode, "activation_fl")
    else { return nil }
    guard let (label, selector) = layers, let bits else { return nil }
    var settings: [PrecisionSetting] = []
    for b in bits {
      if flNode != nil {
        for fl in fls {
          settings.append(PrecisionSetting(bits: b, fractionalLength: fl))
        }
        continue
      }
      for w in weightFLs {
        for a in activationFLs {
          settings.append(
            PrecisionSetting(
              bits: b, weightFractionalLength: w, activationFractionalLength: a)
          )
        }
      }
    }
    return PrecisionAxis(label: label, layers: selector, settings: settings)
  }
}
