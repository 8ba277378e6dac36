import Diagnostics

/// What compressing a network gives: each layer, the totals, and warnings
/// (network-wide low rank left unused on a layer).
public struct CompressionOutcome: Hashable, Sendable {
  /// The layers, in the order given.
  public var layers: [CompressedLayer]
  /// The totals.
  public var network: NetworkTotals
  /// Warnings, located at the plan key they concern.
  public var warnings: [Diagnostic]

  /// Every stored layer, factors as two.
  public var storedLayers: [StoredLayer] { layers.flatMap(\.parts) }
}
