/// What limits a layer's latency.
public enum Bound: Hashable, Sendable {
  /// The MAC array, lanes or units.
  case compute
  /// The backing store's bandwidth (DRAM, flash or a host link).
  case dram
  /// An on-chip level's bandwidth, by name.
  case onChip(String)
  /// The decoder of coded weights (``HardwareModel/WeightDecoder``).
  case decoder
  /// Nothing: the layer takes no time (a view such as Flatten, or an
  /// activation done in the shadow of its producer).
  case none

  /// `compute`, `dram`, `onchip`, `decoder` or `none`, as in the `--json` output.
  public var label: String {
    switch self {
    case .compute: "compute"
    case .dram: "dram"
    case .onChip: "onchip"
    case .decoder: "decoder"
    case .none: "none"
    }
  }

  /// `compute`, `dram`, `onchip:glb`, `decoder` or `none`.
  public var description: String {
    switch self {
    case .compute: "compute"
    case .dram: "dram"
    case .onChip(let level): "onchip:\(level)"
    case .decoder: "decoder"
    case .none: "none"
    }
  }
}
