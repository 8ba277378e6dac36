import Diagnostics
import WeightCompression
import Yams

/// Reads an `edgesim compress` plan (COMPRESSION.md) into a
/// ``WeightCompression/CompressionPlan``.
///
/// ```yaml
/// defaults:                  # every layer (all keys optional)
///   density: 0.3             # fraction kept by pruning, (0, 1]
///   cluster_bits: 5          # weight sharing, 1..8
///   index_bits: 4            # relative index, 1..16 (default 4 Conv, 5 Gemm/MatMul)
///   huffman: true
///   energy: 0.9              # or rank: 16 (truncated SVD)
/// layers:                    # by ONNX node name; keys override the defaults
///   fc1: {density: 0.1, rank: 8}
///   conv1: {ternary: {threshold: 0.05}}   # or threshold: twn; drops cluster_bits
///   conv2: {cluster_bits: null}           # null removes a default
/// ```
///
/// Every key, type and range is checked at its line and column; one entry
/// may not set both `ternary` and `cluster_bits`, nor `rank` and `energy`.
/// Layer names are checked against the model afterwards
/// (``WeightCompression/CompressionPlan/problems(for:)``), at the locations
/// kept here.
public enum CompressionPlanReader {
  /// Reads a plan's bytes; `fileName` names it in diagnostics.
  public static func read(bytes: [UInt8], fileName: String) -> LoadResult<
    CompressionPlan
  > {
    let document: YAMLDocument
    switch YAMLDocument.compose(
      bytes: bytes, fileName: fileName, what: "compression plan")
    {
    case .success(let d): document = d
    case .failure(let error):
      return LoadResult(value: nil, diagnostics: error.diagnostics)
    }
    let plan = read(document)
    let diagnostics = document.diagnostics.sortedByLocation()
    return LoadResult(
      value: diagnostics.containsErrors ? nil : plan, diagnostics: diagnostics)
  }

  static func read(_ document: YAMLDocument) -> CompressionPlan? {
    guard
      let top = MappingReader(
        document.root, in: document, what: "a compression plan (the top level)")
    else { return nil }
    var plan = CompressionPlan()
    if let node = top.value("defaults"),
      let m = MappingReader(
        node, in: document, path: FieldPath([.key("defaults")]),
        what: "'defaults'")
    {
      plan.defaults = entry(m, in: document)
    }
    if let node = top.value("layers") {
      plan.layers = layers(node, in: document)
    }
    if !top.has("defaults") && !top.has("layers") {
      document.error(
        "a compression plan needs 'defaults', 'layers' or both",
        at: document.root,
        hint: "write defaults: {density: 0.3, cluster_bits: 5}")
    }
    top.finish()
    return plan
  }

  /// The `layers:` mapping, each name located.
  static func layers(_ node: Node, in document: YAMLDocument)
    -> [CompressionPlan.NamedEntry]
  {
    guard case .mapping(let mapping) = node else {
      document.error(
        "'layers' must be a mapping from layer names to entries, but is \(node.kindPhrase)",
        at: node, hint: "write layers: {fc1: {density: 0.1}}")
      return []
    }
    var result: [CompressionPlan.NamedEntry] = []
    var seen: Set<String> = []
    for (key, value) in mapping {
      guard case .scalar = key, let name = key.string, !name.isEmpty else {
        document.error(
          "layer names must be plain strings", at: key,
          hint: "write the ONNX node name, e.g. conv1:")
        continue
      }
      guard seen.insert(name).inserted else {
        document.error(
          "layer '\(name)' is listed twice in 'layers'", at: key,
          hint: "merge the two entries")
        continue
      }
      guard
        let m = MappingReader(
          value, in: document, path: FieldPath([.key("layers"), .key(name)]),
          what: "'layers.\(name)'")
      else { continue }
      result.append(
        CompressionPlan.NamedEntry(
          name: name, location: document.location(of: key),
          entry: entry(m, in: document)))
    }
    return result
  }
}
