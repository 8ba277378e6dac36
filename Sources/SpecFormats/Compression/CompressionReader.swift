import Diagnostics
import HardwareModel
import Yams

/// A DRAM-coding file read from YAML, with where each layer name was written
/// so that names the network lacks can be reported at their line.
public struct CompressionFile: Sendable {
  /// The coding.
  public var compression: DRAMCompression
  /// Every layer (or tensor) name the file lists, with its section
  /// (`weights` or `activations`) and location.
  public var names: [(section: String, name: String, location: SourceLocation)]
  /// Where `activations.density: measured` was written, when it was: the
  /// densities of tensors not listed are to be measured on data
  /// (``RunLengthCoding/measured(_:)``).
  public var measuredDensity: SourceLocation?

  /// Errors for the names that are not in `known`, each at its line.
  public func unknownNames(known: Set<String>, model: String) -> [Diagnostic] {
    names.filter { !known.contains($0.name) }.map { entry in
      .error(
        "'\(entry.section).layers' names '\(entry.name)', which is not a layer of \(model)",
        at: entry.location,
        hint: Suggestions.closest(to: entry.name, among: known.sorted()).map {
          "did you mean '\($0)'?"
        } ?? "use the node names that edgesim inspect prints")
    }
  }
}

/// Reads a DRAM-coding file into a ``DRAMCompression``.
///
/// ```yaml
/// weights:                 # Deep Compression (Han et al., ICLR 2016)
///   density: 0.35          # fraction of weights kept by pruning
///   index_bits: 8          # relative-index field
///   cluster_bits: 8        # shared-weight index (omit: no weight sharing)
///   huffman: 0.8           # size after Huffman coding (1: none)
///   layers:
///     fc6: {density: 0.09, index_bits: 5, cluster_bits: 5}
///     fc7: {stored_bits: 1234567}   # measured (edgesim compress)
/// activations:             # run-length coding (Eyeriss, JSSC 2017)
///   coding: rlc
///   run_bits: 5
///   level_bits: 16         # omit: the activation width
///   pairs_per_word: 3
///   word_bits: 64
///   density: 0.5           # fraction of nonzero activations, or `measured`
///   layers: {conv1: 0.6}   # per producing layer
/// ```
///
/// Every key, type and range is checked at its line and column; layer names
/// are checked against the network by ``CompressionFile/unknownNames(known:model:)``.
public enum CompressionReader {
  /// Reads a file's bytes.
  public static func read(bytes: [UInt8], fileName: String) -> LoadResult<
    CompressionFile
  > {
    let document: YAMLDocument
    switch YAMLDocument.compose(
      bytes: bytes, fileName: fileName, what: "DRAM-coding file")
    {
    case .success(let d): document = d
    case .failure(let error):
      return LoadResult(value: nil, diagnostics: error.diagnostics)
    }
    var reader = Reader(document: document)
    let file = reader.read()
    let diagnostics = document.diagnostics.sortedByLocation()
    return LoadResult(
      value: diagnostics.containsErrors ? nil : file, diagnostics: diagnostics)
  }

  struct Reader {
    let document: YAMLDocument
    var names: [(section: String, name: String, location: SourceLocation)] = []
    var measuredDensity: SourceLocation?

    mutating func read() -> CompressionFile? {
      guard
        let top = MappingReader(
          document.root, in: document,
          what: "a DRAM-coding file (the top level)")
      else { return nil }
      var compression = DRAMCompression()
      if let node = top.value("weights") {
        compression.weights = weights(node)
      }
      if let node = top.value("activations") {
        compression.activations = activations(node)
      }
      if !top.has("weights") && !top.has("activations") {
        document.error(
          "a DRAM-coding file needs 'weights', 'activations' or both",
          at: document.root,
          hint: "write weights: {density: 0.3, index_bits: 8}")
      }
      top.finish()
      return CompressionFile(
        compression: compression, names: names,
        measuredDensity: measuredDensity)
    }

    /// The weights section.
    mutating func weights(_ node: Node) -> SparseWeightCoding? {
      guard
        let section = MappingReader(
          node, in: document, path: FieldPath([.key("weights")]),
          what: "'weights'")
      else { return nil }
      let defaults = weightParameters(
        section, over: nil, requireAll: true, path: "weights")
      var layers: [String: SparseWeightCoding.Parameters] = [:]
      for (name, value, _) in layerEntries(section, section: "weights") {
        guard
          let entry = MappingReader(
            value, in: document,
            path: FieldPath([.key("weights.layers.\(name)")]),
            what: "'weights.layers.\(name)'")
        else { continue }
        if let p = weightParameters(
          entry, over: defaults, requireAll: false,
          path: "weights.layers.\(name)")
        {
          layers[name] = p
        }
        entry.finish()
      }
      section.finish()
      guard let defaults else { return nil }
      return SparseWeightCoding(defaults: defaults, layers: layers)
    }

    /// `density`, `index_bits`, `cluster_bits`, `huffman`, over a base.
    func weightParameters(
      _ m: MappingReader, over base: SparseWeightCoding.Parameters?,
      requireAll: Bool, path: String
    ) -> SparseWeightCoding.Parameters? {
      let density = m.number(
        "density", required: requireAll, in: 0...1,
        hint: "write the fraction of weights kept by pruning, e.g. density: 0.3"
      )
      let index = m.integer(
        "index_bits", required: requireAll, in: 1...32,
        hint: "Deep Compression uses 8 for CONV layers and 5 for FC layers")
      let cluster = m.integer(
        "cluster_bits", in: 1...16,
        hint: "bits of a shared-weight index, e.g. cluster_bits: 5")
      let huffman = m.number(
        "huffman", in: 0...1, excludingLower: true,
        hint: "the size after Huffman coding as a fraction, e.g. huffman: 0.8")
      // Measured sizes (edgesim compress's coding.yaml): per layer only.
      let stored =
        requireAll
        ? nil
        : m.integer(
          "stored_bits", in: 0...Int.max,
          hint: "the layer's coded weight bits, as edgesim compress measures")
      if requireAll {
        guard let density, let index else { return nil }
        return SparseWeightCoding.Parameters(
          density: density, indexBits: index, clusterBits: cluster,
          huffman: huffman ?? 1)
      }
      guard let base else { return nil }
      return SparseWeightCoding.Parameters(
        density: density ?? base.density, indexBits: index ?? base.indexBits,
        clusterBits: cluster ?? base.clusterBits,
        huffman: huffman ?? base.huffman, storedBits: stored)
    }

    /// The activations section.
    mutating func activations(_ node: Node) -> RunLengthCoding? {
      guard
        let section = MappingReader(
          node, in: document, path: FieldPath([.key("activations")]),
          what: "'activations'")
      else { return nil }
      if let coding = section.string(
        "coding", hint: "rlc (run-length coding) is the coding available")
      {
        if coding != "rlc" {
          document.error(
            "'activations.coding' is '\(coding)'; the available coding is rlc",
            at: section.value("coding"),
            hint: "write coding: rlc (Eyeriss' run-length coding)")
        }
      }
      let runBits = section.integer("run_bits", in: 1...32) ?? 5
      let levelBits = section.integer("level_bits", in: 1...64)
      let pairs = section.integer("pairs_per_word", in: 1...64) ?? 3
      let word = section.integer("word_bits", in: 1...4096) ?? 64
      var density: Double?
      if let node = section.value("density"), node.string == "measured" {
        measuredDensity = document.location(of: node)
        density = 1  // replaced by measured figures (simulate --data)
      } else {
        density = section.number(
          "density", required: true, in: 0...1,
          hint:
            "write the fraction of nonzero activations, e.g. density: 0.5 (after ReLU), or measured (with simulate --data)"
        )
      }
      var densities: [String: Double] = [:]
      for (name, value, _) in layerEntries(section, section: "activations") {
        if let d = section.number(
          value, key: name, in: 0...1, excludingLower: false,
          hint: "write the fraction of nonzero values, e.g. \(name): 0.4")
        {
          densities[name] = d
        }
      }
      if let levelBits, (runBits + levelBits) * pairs > word {
        document.error(
          "\(pairs) pairs of \(runBits) + \(levelBits) bits need \((runBits + levelBits) * pairs) bits, more than word_bits (\(word))",
          at: section.value("word_bits") ?? section.value("level_bits"),
          hint: "Eyeriss packs 3 pairs of 5 + 16 bits in a 64-bit word")
      }
      section.finish()
      guard let density else { return nil }
      return RunLengthCoding(
        runBits: runBits, levelBits: levelBits, pairsPerWord: pairs,
        wordBits: word, defaultDensity: density, densities: densities)
    }

    /// The `layers:` mapping of a section: name, value, key node; records
    /// each name's location.
    mutating func layerEntries(_ section: MappingReader, section name: String)
      -> [(String, Node, Node)]
    {
      guard let node = section.value("layers") else { return [] }
      guard case .mapping(let mapping) = node else {
        document.error(
          "'\(name).layers' must be a mapping from layer names to values, but is \(node.kindPhrase)",
          at: node, hint: "write layers: {conv1: ...}")
        return []
      }
      var result: [(String, Node, Node)] = []
      var seen: Set<String> = []
      for (key, value) in mapping {
        guard case .scalar = key, let layer = key.string, !layer.isEmpty else {
          document.error(
            "layer names must be plain strings", at: key,
            hint: "write the node name, e.g. conv1:")
          continue
        }
        guard seen.insert(layer).inserted else {
          document.error(
            "layer '\(layer)' is listed twice in '\(name).layers'", at: key,
            hint: "merge the two entries")
          continue
        }
        names.append((name, layer, document.location(of: key)))
        result.append((layer, value, key))
      }
      return result
    }
  }
}
