import HardwareModel
import PrecisionModel

/// Bytes read from and written to one memory level by one layer, per operand.
public struct LevelAccesses: Hashable, Sendable {
  /// The level's name.
  public var level: String
  /// Bytes read out of the level, per operand.
  public var reads: [Operand: Int]
  /// Bytes written into the level, per operand.
  public var writes: [Operand: Int]

  /// Creates the entry.
  public init(level: String, reads: [Operand: Int], writes: [Operand: Int]) {
    self.level = level
    self.reads = reads
    self.writes = writes
  }

  /// All bytes moved either way.
  public var totalBytes: Int {
    reads.values.reduce(0, &+) &+ writes.values.reduce(0, &+)
  }
}

/// The roofline of a layer (Williams, Waterman, Patterson, CACM 2009).
public struct Roofline: Hashable, Sendable {
  /// Operations (2 per MAC plus non-MAC operations) per backing-store byte;
  /// `nil` when the layer moves no backing-store bytes.
  public var arithmeticIntensity: Double?
  /// Peak operations per second at the precision in force.
  public var peakOperationsPerSecond: Double
  /// Backing-store bandwidth, bytes per second (reads), `.infinity` if unlimited.
  public var bandwidth: Double
  /// `min(peak, intensity × bandwidth)`.
  public var attainableOperationsPerSecond: Double
  /// The lower bound on the layer's time: `max(MACs / peak MAC rate,
  /// backing-store bytes / bandwidth)`, seconds.
  public var boundSeconds: Double
}

/// One layer of a run.
public struct LayerResult: Hashable, Sendable {
  /// The node's name.
  public var name: String
  /// The ONNX operator type.
  public var opType: String
  /// The calibration class, if any.
  public var operatorClass: OperatorClass?
  /// The operand widths used.
  public var widths: LayerWidths
  /// Multiply-accumulates.
  public var macs: Int
  /// Non-MAC operations.
  public var operations: Int
  /// Latency in device clock cycles.
  public var cycles: Int
  /// Latency, seconds.
  public var seconds: Double
  /// Start time within the run, seconds (layers run one after another).
  public var startSeconds: Double
  /// What limits it.
  public var bound: Bound
  /// Seconds the compute waited for transfers (stalls).
  public var stallSeconds: Double
  /// Backing-store bytes read, per operand (partial sums count as outputs).
  public var dramRead: [Operand: Int]
  /// Backing-store bytes written, per operand.
  public var dramWritten: [Operand: Int]
  /// Bytes read and written at every level, backing store first.
  public var levels: [LevelAccesses]
  /// Energy of the layer.
  public var energy: EnergyBreakdown
  /// Achieved MACs / (peak MAC rate × latency), in [0, 1] (0 for non-MAC layers).
  public var utilization: Double
  /// Spatial utilisation of the array or lanes (mapping efficiency).
  public var spatialUtilization: Double
  /// Tiles the layer was split into.
  public var tileCount: Int
  /// Whether the output stays on chip for its consumers.
  public var outputStaysOnChip: Bool
  /// Whether every activation input came from on-chip memory.
  public var inputsOnChip: Bool
  /// The producer this activation is fused into, if any.
  public var fusedInto: String?
  /// Bytes of the on-chip tiles (the buffer footprint).
  public var bufferBytes: Int
  /// The mapping: tile sizes, loop order and spatial unrolling.
  public var mapping: String
  /// Roofline figures.
  public var roofline: Roofline
  /// Coded over raw backing-store bits per operand, when the run codes
  /// DRAM traffic (``DRAMCompression``); `nil` for raw traffic.
  public var dramCoding: DRAMScale? = nil
  /// The host device that ran the layer, if not the run's device.
  ///
  /// Set when the run's accelerator leaves the layer to its host
  /// (``HostPartition``). A host layer's ``cycles`` are in the run's clock.
  public var host: String? = nil

  /// Backing-store bytes moved either way.
  public var dramBytes: Int {
    dramRead.values.reduce(0, &+) &+ dramWritten.values.reduce(0, &+)
  }
}
