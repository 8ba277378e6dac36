import NetworkGraph
import Simulation

/// One measured latency of a model on a device: what calibration fits to
/// and what its report compares predictions with.
public struct LatencyMeasurement: Sendable {
  /// Where the measurement came from, as reports print it
  /// (`published.csv:12`).
  public var label: String
  /// The model's name; leave-one-model-out holds out all rows of a name.
  public var model: String
  /// The measured network (shapes must infer).
  public var network: Network
  /// Precision, batch and regime of the measured run.
  public var options: SimulationOptions
  /// The measured latency of one run (the whole batch), seconds; positive.
  public var latency: Double

  /// Creates a measurement.
  public init(
    label: String, model: String, network: Network,
    options: SimulationOptions, latency: Double
  ) {
    self.label = label
    self.model = model
    self.network = network
    self.options = options
    self.latency = latency
  }
}
