/// Why a calibration gave no result.
public enum CalibrationFailure: Error, Hashable, Sendable {
  /// The device declares nothing calibration may change.
  case noFreeParameters(device: String)
  /// No measurement to fit to.
  case noMeasurements
  /// Leave-one-model-out needs measurements of at least two models.
  case tooFewModels(found: [String])
  /// A measured network cannot run on the device (the measurement's label,
  /// the simulator's reason).
  case infeasible(label: String, reason: String)
}
