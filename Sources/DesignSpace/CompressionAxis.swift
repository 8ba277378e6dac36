import PrecisionModel

/// A compression key a sweep axis varies (COMPRESSION.md §2, §3, §5, §6).
public enum CompressionKey: String, Hashable, Sendable, CaseIterable {
  /// Magnitude pruning: the fraction of weights kept, in (0, 1].
  case density
  /// k-means weight sharing: bits of a codebook index, 1…8.
  case clusterBits = "cluster_bits"
  /// Truncated SVD at a fixed rank ≥ 1.
  case rank
  /// Truncated SVD keeping this fraction, in (0, 1], of `Σ σ²`.
  case energy
  /// Ternary weights: the threshold as a fraction of `max|w|`, or TWN's.
  case ternary

  /// Whether more of the value compresses more (a lower density, fewer
  /// cluster bits, a lower rank or energy compress more; a higher ternary
  /// threshold prunes more).
  var higherCompressesMore: Bool { self == .ternary }
}

/// One value of a compression axis.
public enum CompressionLevel: Hashable, Sendable {
  /// The key is not applied (written `none`): no sharing, no low rank, no
  /// ternary; for `density`, no pruning.
  case off
  /// A number: a density, bits, a rank, an energy fraction or a threshold.
  case value(Double)
  /// Ternary with TWN's threshold `0.7 · mean|w|`.
  case twn

  /// The level as point identifiers write it: `none`, `twn`, whole numbers
  /// without a fraction (`8`), others in shortest round-trip form (`0.25`).
  public var canonical: String {
    switch self {
    case .off: "none"
    case .twn: "twn"
    case .value(let v):
      v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }
  }
}

/// A sweep axis over one compression key of some layers.
///
/// ```yaml
/// compression:
///   axes:
///     - {layers: all, density: [1, 0.5, 0.25]}
///     - {layers: /fc/Gemm, cluster_bits: [none, 8, 4]}
/// ```
public struct CompressionAxis: Hashable, Sendable {
  /// The layers' label (a layer, a group name, names joined by `+`, or
  /// `all`).
  public var label: String
  /// The layers it sets.
  public var layers: LayerSelector
  /// The key it varies.
  public var key: CompressionKey
  /// Its values, in file order.
  public var levels: [CompressionLevel]

  /// Creates an axis.
  public init(
    label: String, layers: LayerSelector, key: CompressionKey,
    levels: [CompressionLevel]
  ) {
    self.label = label
    self.layers = layers
    self.key = key
    self.levels = levels
  }

  /// The name points write the axis under: `label/key`, for example
  /// `all/density` or `/fc/Gemm/cluster_bits`.
  public var name: String { "\(label)/\(key.rawValue)" }

  /// The indices of ``levels`` from the least compressing to the most
  /// (`none` first), ties in file order: the order the search lowers them.
  public var orderByCompression: [Int] {
    levels.indices.sorted { a, b in
      let (x, y) = (rank(levels[a]), rank(levels[b]))
      return x == y ? a < b : x < y
    }
  }

  /// A level's place in ``orderByCompression``'s order.
  private func rank(_ level: CompressionLevel) -> Double {
    switch level {
    case .off: -Double.infinity
    case .twn: key.higherCompressesMore ? Double.infinity : 0
    case .value(let v): key.higherCompressesMore ? v : -v
    }
  }
}

/// The level a compression axis takes at a point.
public struct CompressionChoiceOfAxis: Hashable, Sendable {
  /// The axis's label (layer, group name or `all`).
  public var axis: String
  /// The layers it sets.
  public var layers: LayerSelector
  /// The key.
  public var key: CompressionKey
  /// The level.
  public var level: CompressionLevel

  /// Creates the choice.
  public init(
    axis: String, layers: LayerSelector, key: CompressionKey,
    level: CompressionLevel
  ) {
    self.axis = axis
    self.layers = layers
    self.key = key
    self.level = level
  }

  /// `label/key=level`, as points and results files write it.
  public var canonical: String { "\(axis)/\(key.rawValue)=\(level.canonical)" }
}
