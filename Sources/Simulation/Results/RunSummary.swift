import HardwareModel

/// Totals of a run.
public struct RunTotals: Hashable, Sendable {
  /// Device clock cycles of the whole batch.
  public var cycles: Int
  /// Latency of the whole batch, seconds.
  public var latency: Double
  /// Inferences per second (`batch / latency`).
  public var throughput: Double
  /// Energy per inference, joules.
  public var energyPerInference: Double
  /// Energy per inference by component and operand.
  public var energy: EnergyBreakdown
  /// Average power, watts (energy / latency).
  public var averagePower: Double
  /// MACs of the batch.
  public var macs: Int
  /// Non-MAC operations of the batch.
  public var operations: Int
  /// Achieved operations per second (2 per MAC plus other operations).
  public var operationsPerSecond: Double
  /// MACs / (peak MAC rate × latency).
  public var macUtilization: Double
  /// Backing-store bytes read by the batch.
  public var dramBytesRead: Int
  /// Backing-store bytes written by the batch.
  public var dramBytesWritten: Int

  /// Backing-store bytes moved either way.
  public var dramBytes: Int { dramBytesRead &+ dramBytesWritten }
}

/// Everything a run produced: per-layer results and totals.
public struct RunSummary: Hashable, Sendable {
  /// The device's name.
  public var device: String
  /// The network's name.
  public var model: String
  /// The precision, as given (`native (int8)`, `int16`, `per-layer`).
  public var precision: String
  /// Inferences per run.
  public var batch: Int
  /// Device clock, hertz.
  public var clock: Double
  /// Peak MACs per second at the default precision of the run.
  public var peakMACsPerSecond: Double
  /// Per-layer results, in execution order.
  public var layers: [LayerResult]
  /// Totals.
  public var totals: RunTotals
  /// The DRAM coding in force (``DRAMCompression/label``), `nil` for raw
  /// traffic.
  public var compression: String? = nil
}
