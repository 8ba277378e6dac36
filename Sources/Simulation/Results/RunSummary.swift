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

/// How much of the model's parameters were on chip when the timed
/// inference started (kept there across inferences); the rest was fetched
/// during it.
public struct ParameterPlacement: Hashable, Sendable {
  /// Parameter bytes on chip from the start.
  public var residentBytes: Int
  /// Parameter bytes of the whole model.
  public var totalBytes: Int

  /// Creates a placement.
  public init(residentBytes: Int, totalBytes: Int) {
    self.residentBytes = residentBytes
    self.totalBytes = totalBytes
  }

  /// `resident`, `streamed`, `partly resident (X of Y bytes)`, or `none`
  /// for a model without parameters.
  public var label: String {
    if totalBytes == 0 { return "none" }
    if residentBytes >= totalBytes { return "resident" }
    if residentBytes == 0 { return "streamed" }
    return "partly resident (\(residentBytes) of \(totalBytes) bytes)"
  }
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
  /// The parameters on chip across inferences (steady state) or not.
  public var parameters = ParameterPlacement(residentBytes: 0, totalBytes: 0)
  /// The inference timed: steady state or the first (cold).
  public var inference = InferenceRegime.steadyState
}
