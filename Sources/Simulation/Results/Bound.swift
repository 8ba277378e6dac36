/// What limits a layer's latency.
public enum Bound: Hashable, Sendable {
  /// The MAC array, lanes or units.
  case compute
  /// The backing store's bandwidth (DRAM, flash or a host link).
  case dram
  /// An on-chip level's bandwidth, by name.
  case onChip(String)

  /// `compute`, `dram` or `onchip`, as in the `--json` output.
  public var label: String {
    switch self {
    case .compute: "compute"
    case .dram: "dram"
    case .onChip: "onchip"
    }
  }

  /// `compute`, `dram` or `onchip:glb`.
  public var description: String {
    switch self {
    case .compute: "compute"
    case .dram: "dram"
    case .onChip(let level): "onchip:\(level)"
    }
  }
}
