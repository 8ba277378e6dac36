import Diagnostics
import WeightCompression
import Yams

extension CompressionPlanReader {
  /// One entry's keys (defaults or a layer's), each set, `null` or absent.
  static func entry(_ m: MappingReader, in document: YAMLDocument)
    -> PlanEntry
  {
    var e = PlanEntry()
    e.density = setting(m, "density", in: document) { node in
      m.number(
        node, key: "density", in: 0...1, excludingLower: true,
        hint: "write the fraction of weights kept by pruning, e.g. 0.3")
    }
    e.clusterBits = setting(m, "cluster_bits", in: document) { node in
      m.integer(node, key: "cluster_bits", in: 1...8)
    }
    e.indexBits = setting(m, "index_bits", in: document) { node in
      m.integer(node, key: "index_bits", in: 1...16)
    }
    e.huffman = setting(m, "huffman", in: document) { node in
      m.boolean("huffman")
    }
    let rank = setting(m, "rank", in: document) { node in
      m.integer(node, key: "rank", in: 1...Int.max).map(LowRank.rank)
    }
    let energy = setting(m, "energy", in: document) { node in
      m.number(
        node, key: "energy", in: 0...1, excludingLower: true,
        hint: "write the fraction of Σσ² to keep, e.g. 0.9"
      ).map(LowRank.energy)
    }
    e.lowRank = rank == .inherit ? energy : rank
    if rank != .inherit, energy != .inherit {
      document.error(
        "an entry sets both 'rank' and 'energy'", at: m.value("energy"),
        hint: "keep one: rank: r or energy: f")
    }
    e.ternary = setting(m, "ternary", in: document) { node in
      ternary(node, in: document, path: m.path.appending("ternary"))
    }
    if e.ternary.isSet, e.clusterBits.isSet {
      document.error(
        "an entry sets both 'ternary' and 'cluster_bits'; ternary weights and weight sharing exclude each other",
        at: m.value("ternary"),
        hint: "keep one of them (in a layer, each drops the other's default)")
    }
    m.finish()
    return e
  }

  /// A key's setting: absent, `null` (removes a default) or a value read by
  /// `read` (an invalid value is reported there and read as absent).
  static func setting<Value>(
    _ m: MappingReader, _ key: String, in document: YAMLDocument,
    read: (Node) -> Value?
  ) -> PlanSetting<Value> {
    guard let node = m.value(key) else { return .inherit }
    if case .scalar(let scalar) = node, scalar.style == .plain,
      ["~", "null", "Null", "NULL", ""].contains(scalar.string)
    {
      return .remove
    }
    guard let value = read(node) else { return .inherit }
    return .set(value, document.location(of: node))
  }

  /// `ternary: {threshold: t | twn}` (an empty mapping: t = 0.05).
  static func ternary(
    _ node: Node, in document: YAMLDocument, path: FieldPath
  ) -> TernaryThreshold? {
    guard
      let m = MappingReader(node, in: document, path: path, what: "'ternary'")
    else { return nil }
    defer { m.finish() }
    guard let value = m.value("threshold") else { return .fraction(0.05) }
    if value.string == "twn" { return .twn }
    return m.number(
      value, key: "threshold", in: 0...1, excludingLower: true,
      hint: "write a fraction of max|w| such as 0.05, or twn"
    ).map(TernaryThreshold.fraction)
  }
}
