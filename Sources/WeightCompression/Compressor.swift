import Diagnostics

/// Compresses a network's layers by a plan (COMPRESSION.md): low rank (§5)
/// → pruning (§2) → ternary (§6) or weight sharing (§3) → storage (§4).
///
/// Pure and deterministic: the same layers and plan give the same outcome.
/// Check the plan first with ``CompressionPlan/problems(for:)``: a plan with
/// errors is compressed as far as it can be, with the bad requests ignored.
public enum Compressor {
  /// Compresses every layer of `layers` by `plan`.
  public static func compress(
    _ layers: [WeightLayer], plan: CompressionPlan
  ) -> CompressionOutcome {
    var result: [CompressedLayer] = []
    var warnings: [Diagnostic] = []
    for layer in layers {
      let settings = plan.settings(for: layer.name)
      var parts: [StoredLayer] = []
      var rank: Int?
      if let request = settings.lowRank {
        switch LowRankFactorization.factor(layer, request) {
        case .success(let f):
          rank = f.rank
          parts = [
            store(
              name: layer.name + "_a", kind: layer.kind, shape: f.firstShape,
              weights: f.first, positions: layer.positions,
              settings: settings),
            store(
              name: layer.name + "_b", kind: layer.kind,
              shape: f.secondShape, weights: f.second,
              positions: layer.positions, settings: settings),
          ]
        case .failure(let refusal):
          warnings.append(
            warning(refusal, layer: layer.name, plan: plan))
        }
      }
      if parts.isEmpty {
        parts = [
          store(
            name: layer.name, kind: layer.kind, shape: layer.shape,
            weights: layer.weights, positions: layer.positions,
            settings: settings)
        ]
      }
      result.append(
        CompressedLayer(
          name: layer.name, kind: layer.kind, originalShape: layer.shape,
          biasElements: layer.biasElements, rank: rank, parts: parts,
          macsBefore: layer.positions * layer.weights.count))
    }
    var totals = NetworkTotals(
      rawBits: 0, storedBits: 0, macsBefore: 0, macsAfter: 0, macsNonzero: 0)
    for layer in result {
      totals.rawBits +=
        (layer.originalShape.reduce(1, *)
          + layer.biasElements) * 32
      totals.storedBits += layer.biasElements * 32
      totals.macsBefore += layer.macsBefore
      for part in layer.parts {
        totals.storedBits += part.storedBits
        totals.macsAfter += part.positions * part.weights
        totals.macsNonzero += part.positions * part.nonzeros
      }
    }
    return CompressionOutcome(
      layers: result, network: totals, warnings: warnings)
  }

  /// Prunes, shares or ternarises, and codes one stored layer.
  static func store(
    name: String, kind: WeightLayer.Kind, shape: [Int], weights: [Float],
    positions: Int, settings: LayerSettings
  ) -> StoredLayer {
    var values = weights
    if let density = settings.density {
      values = Pruning.prune(values, density: density)
    }
    let symbols: [UInt32]
    var valueBits = 32
    var codebookBits = 0
    if let threshold = settings.ternary {
      let levels = Ternary.ternarise(values, threshold: threshold)
      values = levels.decoded
      symbols = levels.indices.map { UInt32($0) }
      valueBits = 2
      codebookBits = 64
    } else if let bits = settings.clusterBits {
      let clustering = WeightSharing.cluster(values, bits: bits)
      values = clustering.decoded
      symbols = clustering.indices.map { UInt32($0) }
      valueBits = bits
      codebookBits = ((1 << bits) - 1) * 32
    } else {
      values = values.map { $0 == 0 ? 0 : $0 }
      symbols = values.map { $0.bitPattern }
    }
    let p = settings.indexBits ?? kind.defaultIndexBits
    let storage = SparseStorage(
      symbols: symbols, indexBits: p, valueBits: valueBits,
      huffman: settings.huffman)
    return StoredLayer(
      name: name, kind: kind, shape: shape, decoded: values,
      nonzeros: symbols.count { $0 != 0 }, entries: storage.entries,
      fillers: storage.fillers, indexBits: p, valueBits: valueBits,
      form: storage.form, codebookBits: codebookBits,
      gapHuffmanBits: storage.gapHuffmanBits,
      valueHuffmanBits: storage.valueHuffmanBits,
      tableBits: storage.tableBits,
      storedBits: storage.streamBits + codebookBits, positions: positions)
  }

  /// The warning for network-wide low rank left unused on a layer.
  static func warning(
    _ refusal: LowRankFactorization.Refusal, layer: String,
    plan: CompressionPlan
  ) -> Diagnostic {
    let own = plan.layers.last { $0.name == layer }?.entry.lowRank.location
    let location = own ?? plan.defaults.lowRank.location
    switch refusal {
    case .unsupportedLayer:
      return .warning(
        "layer '\(layer)' cannot be factored (grouped or depthwise Conv, ConvTranspose, or a weight that is not 2-D); it stays whole",
        at: location)
    case .rankTooLarge(let r, let maximum):
      return .warning(
        "rank \(r) is above layer '\(layer)''s largest rank \(maximum); it stays whole",
        at: location)
    case .noSaving(let r):
      return .warning(
        "rank \(r) would not reduce layer '\(layer)''s MACs; it stays whole",
        at: location, hint: "ask for a lower rank or energy")
    }
  }
}
