/// A simulated run, in the plain values the report draws: what
/// `edgesim simulate --trace` recorded, without any file format.
///
/// The command line builds it from a trace folder (`summary.json` and
/// `trace.json`); tests build it by hand.
public struct TraceReport: Hashable, Sendable {
  /// The network's name.
  public var model: String
  /// The device's name.
  public var device: String
  /// The precision label (`native (int8)`, `int16`, `per-layer`).
  public var precision: String
  /// Inferences per run.
  public var batch: Int
  /// The device's peak operations per second (2 per MAC) at the run's
  /// default precision: the roofline's compute roof.
  public var peakOperationsPerSecond: Double
  /// The backing store's bandwidth in bytes per second, or `nil` when it is
  /// unlimited (SCALE-Sim's CALC mode) or unknown: the roofline's memory
  /// roof.
  public var dramBandwidth: Double?
  /// The layers, in execution order.
  public var layers: [ReportLayer]
  /// The engines' busy intervals (tiles or tile groups); empty when the
  /// trace has none, in which case the timeline shows layers only.
  public var intervals: [EngineInterval]
  /// Latency of the whole batch, seconds.
  public var latency: Double
  /// Energy per inference by component, in stacking order.
  public var energy: [EnergyComponent]
  /// Backing-store bytes of the batch, read and written.
  public var dramBytes: Int
  /// MACs / (peak MAC rate × latency) of the run, in [0, 1].
  public var utilization: Double

  /// Creates a run.
  public init(
    model: String, device: String, precision: String, batch: Int,
    peakOperationsPerSecond: Double, dramBandwidth: Double?,
    layers: [ReportLayer],
    intervals: [EngineInterval], latency: Double, energy: [EnergyComponent],
    dramBytes: Int,
    utilization: Double
  ) {
    self.model = model
    self.device = device
    self.precision = precision
    self.batch = batch
    self.peakOperationsPerSecond = peakOperationsPerSecond
    self.dramBandwidth = dramBandwidth
    self.layers = layers
    self.intervals = intervals
    self.latency = latency
    self.energy = energy
    self.dramBytes = dramBytes
    self.utilization = utilization
  }

  /// Energy per inference, joules: the components summed.
  public var totalEnergy: Double { energy.reduce(0) { $0 + $1.joules } }
}
