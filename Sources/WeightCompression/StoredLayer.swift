/// One stored layer after compression, with its sizes (COMPRESSION.md §4):
/// a whole layer, or one factor of a low-rank pair (`NODE_a`, `NODE_b`).
public struct StoredLayer: Hashable, Sendable {
  /// The stored layer's name: the node's, or `NODE_a` / `NODE_b`.
  public var name: String
  /// The operator.
  public var kind: WeightLayer.Kind
  /// The weight shape.
  public var shape: [Int]
  /// The decoded weights, flat (what the compressed model holds).
  public var decoded: [Float]
  /// Nonzero decoded weights.
  public var nonzeros: Int
  /// Entries of the sparse form (nonzeros plus fillers).
  public var entries: Int
  /// Filler entries.
  public var fillers: Int
  /// p.
  public var indexBits: Int
  /// v: `cluster_bits`, 2 for ternary, else 32.
  public var valueBits: Int
  /// The form stored.
  public var form: SparseStorage.Form
  /// `(2^b − 1) · 32` with sharing, 64 (two scales) for ternary, else 0.
  public var codebookBits: Int
  /// The gap stream under Huffman (0 without, or dense).
  public var gapHuffmanBits: Int
  /// The value stream under Huffman (0 without).
  public var valueHuffmanBits: Int
  /// The Huffman tables (0 without).
  public var tableBits: Int
  /// Stored bits: the chosen form plus the codebook (weights only).
  public var storedBits: Int
  /// MACs per weight (see ``WeightLayer/positions``).
  public var positions: Int

  /// The weight count.
  public var weights: Int { decoded.count }
  /// `nonzeros / weights`.
  public var density: Double {
    weights == 0 ? 0 : Double(nonzeros) / Double(weights)
  }
  /// `weights · 32`.
  public var rawBits: Int { weights * 32 }
  /// `raw_bits / stored_bits`.
  public var ratio: Double {
    storedBits == 0 ? 0 : Double(rawBits) / Double(storedBits)
  }
}

/// A layer of the original network after compression: one stored layer, or
/// two for a low-rank pair.
public struct CompressedLayer: Hashable, Sendable {
  /// The original node's name.
  public var name: String
  /// The operator.
  public var kind: WeightLayer.Kind
  /// The original weight shape.
  public var originalShape: [Int]
  /// Bias elements (raw at 32 bits, on `NODE_b` when split).
  public var biasElements: Int
  /// The rank when split by truncated SVD.
  public var rank: Int?
  /// The stored layers: one, or `NODE_a` then `NODE_b`.
  public var parts: [StoredLayer]
  /// The original layer's dense MACs.
  public var macsBefore: Int
}

/// The network totals of COMPRESSION.md §8, over the layers of §1.
public struct NetworkTotals: Hashable, Sendable {
  /// The original weights and biases at 32 bits.
  public var rawBits: Int
  /// Stored weights plus raw biases.
  public var storedBits: Int
  /// Dense MACs of the original layers.
  public var macsBefore: Int
  /// Dense MACs of the compressed structure (factors counted).
  public var macsAfter: Int
  /// MACs whose weight is nonzero.
  public var macsNonzero: Int
  /// `raw_bits / stored_bits`.
  public var ratio: Double {
    storedBits == 0 ? 0 : Double(rawBits) / Double(storedBits)
  }
}
