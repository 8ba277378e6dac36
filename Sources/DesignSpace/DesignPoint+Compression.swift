import PrecisionModel
import WeightCompression

extension DesignPoint {
  /// The compression plan of this point (COMPRESSION.md), or `nil` when it
  /// compresses nothing.
  ///
  /// An axis over `all` sets the plan's default for its key (and, being
  /// later, overrides that key of layers earlier axes named); an axis over
  /// layers sets the key in their entries. `none` removes the key. A
  /// later axis wins: `ternary` set after `cluster_bits` (or the reverse)
  /// replaces it, as `rank` and `energy` replace each other; keys then
  /// combine as in any plan (§8), where a layer's `ternary` drops an
  /// inherited `cluster_bits` and vice versa. With ``huffman`` every layer
  /// is Huffman coded.
  public var compressionPlan: CompressionPlan? {
    guard !compression.isEmpty || huffman else { return nil }
    var plan = CompressionPlan()
    if huffman { plan.defaults.huffman = .set(true, nil) }
    var entries: [String: PlanEntry] = [:]
    var order: [String] = []
    for choice in compression {
      switch choice.layers {
      case .all:
        Self.set(choice, in: &plan.defaults)
        for name in order {
          Self.clear(choice, in: &entries[name, default: PlanEntry()])
        }
      case .named(let names):
        for name in names {
          if entries[name] == nil { order.append(name) }
          Self.set(choice, in: &entries[name, default: PlanEntry()])
        }
      }
    }
    plan.layers = order.map {
      CompressionPlan.NamedEntry(
        name: $0, location: nil, entry: entries[$0] ?? PlanEntry())
    }
    return plan
  }

  /// Sets one key of an entry to a choice's level.
  static func set(_ choice: CompressionChoiceOfAxis, in entry: inout PlanEntry)
  {
    let level = choice.level
    let number: Double? = if case .value(let v) = level { v } else { nil }
    let whole = number.map { Int(exactly: $0.rounded()) ?? 0 }
    switch choice.key {
    case .density:
      entry.density = number.map { .set($0, nil) } ?? .remove
    case .clusterBits:
      entry.clusterBits = whole.map { .set($0, nil) } ?? .remove
      // A later axis wins: sharing drops a ternary set before it.
      if whole != nil, entry.ternary.isSet { entry.ternary = .inherit }
    case .rank:
      entry.lowRank = whole.map { .set(.rank($0), nil) } ?? .remove
    case .energy:
      entry.lowRank = number.map { .set(.energy($0), nil) } ?? .remove
    case .ternary:
      switch level {
      case .off: entry.ternary = .remove
      case .twn: entry.ternary = .set(.twn, nil)
      case .value(let t): entry.ternary = .set(.fraction(t), nil)
      }
      if level != .off, entry.clusterBits.isSet {
        entry.clusterBits = .inherit
      }
    }
  }

  /// Lets a layer's entry inherit what a later axis over `all` sets: the
  /// key, and for a level other than `none` the key it excludes.
  static func clear(
    _ choice: CompressionChoiceOfAxis, in entry: inout PlanEntry
  ) {
    let excludes = choice.level != .off
    switch choice.key {
    case .density: entry.density = .inherit
    case .rank, .energy: entry.lowRank = .inherit
    case .clusterBits:
      entry.clusterBits = .inherit
      if excludes { entry.ternary = .inherit }
    case .ternary:
      entry.ternary = .inherit
      if excludes { entry.clusterBits = .inherit }
    }
  }

  /// This point with its precision selectors naming the halves of split
  /// layers.
  ///
  /// Low rank makes `NODE_a` and `NODE_b` of `NODE`; a precision axis that
  /// names `NODE` sets both, so that its settings reach the compressed
  /// network. The parameters, and so the ``id``, are unchanged.
  public func selectingFactors(of split: Set<String>) -> DesignPoint {
    guard !split.isEmpty else { return self }
    var point = self
    for index in point.precision.indices {
      guard case .named(let names) = point.precision[index].layers else {
        continue
      }
      point.precision[index].layers = .named(
        names.flatMap { split.contains($0) ? [$0 + "_a", $0 + "_b"] : [$0] })
    }
    return point
  }
}
