/// How one layer is compressed, after a plan's defaults and the layer's own
/// entry are merged (COMPRESSION.md §8 "Plans").
public struct LayerSettings: Hashable, Sendable {
  /// The fraction of weights kept by pruning (§2), in (0, 1]; `nil`: none.
  public var density: Double?
  /// Weight-sharing bits (§3), 1…8; `nil`: no sharing.
  public var clusterBits: Int?
  /// Relative-index bits (§4); `nil`: the layer kind's default.
  public var indexBits: Int?
  /// Whether both streams are Huffman coded (§4).
  public var huffman: Bool
  /// Truncated SVD (§5); `nil`: the layer stays whole.
  public var lowRank: LowRank?
  /// Ternary weights (§6), or `nil` for none; excludes ``clusterBits``.
  public var ternary: TernaryThreshold?

  /// Creates settings; the defaults compress nothing.
  public init(
    density: Double? = nil, clusterBits: Int? = nil, indexBits: Int? = nil,
    huffman: Bool = false, lowRank: LowRank? = nil,
    ternary: TernaryThreshold? = nil
  ) {
    self.density = density
    self.clusterBits = clusterBits
    self.indexBits = indexBits
    self.huffman = huffman
    self.lowRank = lowRank
    self.ternary = ternary
  }
}

/// The rank of a truncated SVD (COMPRESSION.md §5).
public enum LowRank: Hashable, Sendable {
  /// A fixed rank r ≥ 1.
  case rank(Int)
  /// The smallest rank keeping this fraction, in (0, 1], of `Σ σ²`.
  case energy(Double)
}

/// How ternary levels are thresholded (COMPRESSION.md §6).
public enum TernaryThreshold: Hashable, Sendable {
  /// `Δ = t · max|w|` (TTQ; the default t is 0.05).
  case fraction(Double)
  /// `Δ = 0.7 · mean|w|` (TWN).
  case twn
}
