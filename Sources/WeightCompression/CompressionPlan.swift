import Diagnostics

/// A compression plan: network-wide defaults and per-layer entries, each
/// key set, removed (`null`) or left to inherit (COMPRESSION.md §8).
///
/// ```yaml
/// defaults: {density: 0.3, cluster_bits: 5, huffman: true}
/// layers:
///   fc1: {density: 0.1, rank: 16}
///   conv1: {cluster_bits: null, ternary: {threshold: 0.05}}
/// ```
public struct CompressionPlan: Hashable, Sendable {
  /// The network-wide entry.
  public var defaults: PlanEntry
  /// Per-layer entries, by ONNX node name, in file order.
  public var layers: [NamedEntry]

  /// A layer's entry and where its name was written.
  public struct NamedEntry: Hashable, Sendable {
    /// The node name.
    public var name: String
    /// Where the name was written, for errors.
    public var location: SourceLocation?
    /// The entry.
    public var entry: PlanEntry

    /// Creates an entry.
    public init(name: String, location: SourceLocation?, entry: PlanEntry) {
      self.name = name
      self.location = location
      self.entry = entry
    }
  }

  /// Creates a plan.
  public init(defaults: PlanEntry = PlanEntry(), layers: [NamedEntry] = []) {
    self.defaults = defaults
    self.layers = layers
  }

  /// The settings of layer `name`: the defaults, overridden key by key by
  /// the layer's entry; `ternary` set in the entry drops an inherited
  /// `cluster_bits` and vice versa (`rank` and `energy` are one key here).
  public func settings(for name: String) -> LayerSettings {
    let own = layers.last { $0.name == name }?.entry ?? PlanEntry()
    var clusterBits = own.clusterBits.over(defaults.clusterBits)
    var ternary = own.ternary.over(defaults.ternary)
    if own.ternary.isSet, !own.clusterBits.isSet { clusterBits = nil }
    if own.clusterBits.isSet, !own.ternary.isSet { ternary = nil }
    return LayerSettings(
      density: own.density.over(defaults.density),
      clusterBits: clusterBits,
      indexBits: own.indexBits.over(defaults.indexBits),
      huffman: own.huffman.over(defaults.huffman) ?? false,
      lowRank: own.lowRank.over(defaults.lowRank),
      ternary: ternary)
  }
}

/// One entry of a plan: each key set, removed or inherited.
public struct PlanEntry: Hashable, Sendable {
  /// `density`.
  public var density: PlanSetting<Double> = .inherit
  /// `cluster_bits`.
  public var clusterBits: PlanSetting<Int> = .inherit
  /// `index_bits`.
  public var indexBits: PlanSetting<Int> = .inherit
  /// `huffman`.
  public var huffman: PlanSetting<Bool> = .inherit
  /// `rank` or `energy`.
  public var lowRank: PlanSetting<LowRank> = .inherit
  /// `ternary`.
  public var ternary: PlanSetting<TernaryThreshold> = .inherit

  /// Creates an entry that inherits every key.
  public init() {}
}

/// One key of a plan entry.
public enum PlanSetting<Value: Hashable & Sendable>: Hashable, Sendable {
  /// Not written: inherited from the defaults.
  case inherit
  /// Written as `null`: removes the default.
  case remove
  /// Written, with where.
  case set(Value, SourceLocation?)

  /// Whether the key is written with a value.
  public var isSet: Bool {
    if case .set = self { return true }
    return false
  }

  /// The value, if set.
  public var value: Value? {
    if case .set(let value, _) = self { return value }
    return nil
  }

  /// Where the value was written, if set.
  public var location: SourceLocation? {
    if case .set(_, let location) = self { return location }
    return nil
  }

  /// This setting over an inherited one.
  func over(_ base: PlanSetting) -> Value? {
    switch self {
    case .inherit: base.value
    case .remove: nil
    case .set(let value, _): value
    }
  }
}
