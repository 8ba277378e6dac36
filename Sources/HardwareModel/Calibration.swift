/// Classes of operators that calibration factors apply to.
public enum OperatorClass: String, Sendable, CaseIterable, Hashable {
  /// Dense and grouped convolution.
  case conv
  /// Depthwise convolution.
  case depthwise
  /// Fully connected layers and matrix products.
  case gemm
  /// Pooling.
  case pool
  /// Element-wise operations (add, multiply) and activations.
  case elementwise
  /// Softmax and other float islands.
  case softmax
}

/// A measured correction to the model, with the measurement it was fitted to.
///
/// A software stack rarely reaches a device's peak: a calibration factor in
/// (0, 1] says what fraction of the modelled rate it sustains for a class of
/// operators. Every factor names its measurement (`fitted_to`) so that a
/// reader can check it, and `Documentation/Validation.md` reports the error
/// against that measurement.
public struct CalibrationFactor: Hashable, Sendable {
  /// The fraction of the modelled rate, in (0, 1].
  public var value: Double
  /// The measurement the factor was fitted to.
  public var fittedTo: String

  /// Creates a factor.
  public init(value: Double, fittedTo: String) {
    self.value = value
    self.fittedTo = fittedTo
  }
}
