import PrecisionModel

/// Where a study measures accuracy: an evaluation set with labels, a
/// calibration set, and the calibration method that chooses the
/// fractional lengths a point leaves open.
///
/// ```yaml
/// accuracy:
///   evaluation: {data: ../digits/test-images.npy, labels: ../digits/test-labels.npy, samples: 140..539}
///   calibration: {data: ../digits/test-images.npy, samples: 0..139}
///   method: qiu
/// ```
///
/// Paths are as the sweep file writes them; the command line reads the
/// files. Calibrating and evaluating on the same samples flatters
/// accuracy, so give disjoint sample ranges when there is one file.
public struct AccuracySpec: Hashable, Sendable {
  /// The evaluation samples: a float32 `.npy` `[N, …]`.
  public var data: String
  /// Their class labels: an integer `.npy` `[N]`.
  public var labels: String
  /// The evaluation samples used (first index through last, both included),
  /// or `nil` for all.
  public var samples: ClosedRange<Int>?
  /// The calibration samples' file; `nil` takes ``data``.
  public var calibrationData: String?
  /// The calibration samples used, or `nil` for all.
  public var calibrationSamples: ClosedRange<Int>?
  /// The calibration method (FIXED_POINT.md §8).
  public var method: CalibrationMethod

  /// Creates a specification.
  public init(
    data: String, labels: String, samples: ClosedRange<Int>? = nil,
    calibrationData: String? = nil,
    calibrationSamples: ClosedRange<Int>? = nil,
    method: CalibrationMethod = .qiu
  ) {
    self.data = data
    self.labels = labels
    self.samples = samples
    self.calibrationData = calibrationData
    self.calibrationSamples = calibrationSamples
    self.method = method
  }
}
