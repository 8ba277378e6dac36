import HardwareModel

/// One free parameter before and after a fit.
public struct FittedParameter: Hashable, Sendable {
  /// The parameter's name (`efficiency.conv`).
  public var name: String
  /// The device's value before the fit.
  public var initial: Double
  /// The fitted value (rounded to six significant digits; equal to
  /// ``initial`` when nothing was fitted).
  public var fitted: Double
  /// What the initial value was fitted to.
  public var initialFittedTo: String
  /// Whether the parameter was held at its initial value, not fitted
  /// (`calibrate --hold`).
  public var isHeld = false
}

/// One measurement and the predictions of it.
public struct MeasurementPrediction: Hashable, Sendable {
  /// Where the measurement came from (`published.csv:12`).
  public var label: String
  /// The measured model.
  public var model: String
  /// The measured latency, seconds.
  public var measured: Double
  /// The prediction of the device as given, seconds.
  public var initial: Double
  /// The prediction of the device fitted to every measurement (in
  /// sample), seconds; `nil` when nothing was fitted.
  public var fitted: Double?
  /// The prediction of the device fitted to every other model's
  /// measurements (leave-one-model-out), seconds; `nil` when nothing was
  /// fitted.
  public var heldOut: Double?

  /// The relative error of a prediction of this measurement:
  /// `(predicted − measured) / measured` (positive: predicted too slow).
  public func error(of prediction: Double) -> Double {
    (prediction - measured) / measured
  }
}

/// The median and the worst absolute relative error of a set of
/// predictions.
public struct ErrorSummary: Hashable, Sendable {
  /// How many predictions.
  public var count: Int
  /// The median of the absolute relative errors (the mean of the middle two
  /// for an even count).
  public var median: Double
  /// The largest absolute relative error.
  public var worst: Double
  /// The label of the measurement with the largest error (the first in
  /// order on a tie).
  public var worstLabel: String

  /// Summarises `(label, relative error)` pairs; `nil` when there are none.
  public init?(_ errors: [(label: String, error: Double)]) {
    guard !errors.isEmpty else { return nil }
    let magnitudes = errors.map { abs($0.error) }.sorted()
    let middle = magnitudes.count / 2
    count = errors.count
    median =
      magnitudes.count % 2 == 1
      ? magnitudes[middle] : (magnitudes[middle - 1] + magnitudes[middle]) / 2
    var worstIndex = 0
    for index in errors.indices
    where abs(errors[index].error) > abs(errors[worstIndex].error) {
      worstIndex = index
    }
    worst = abs(errors[worstIndex].error)
    worstLabel = errors[worstIndex].label
  }
}

/// What a calibration gave: the fitted device, its parameters, and every
/// measurement predicted in sample and leave-one-model-out.
public struct CalibrationReport: Sendable {
  /// The device with the fitted values (the device as given when nothing
  /// was fitted).
  public var device: Device
  /// The free parameters, before and after.
  public var parameters: [FittedParameter]
  /// Every measurement, in input order.
  public var predictions: [MeasurementPrediction]
  /// The distinct models, in order of first appearance.
  public var models: [String]
  /// Whether parameters were fitted (`false`: the device was only
  /// assessed).
  public var isFitted: Bool

  /// The errors of the device as given.
  public var initialSummary: ErrorSummary? {
    ErrorSummary(predictions.map { ($0.label, $0.error(of: $0.initial)) })
  }

  /// The in-sample errors of the fitted device.
  public var fittedSummary: ErrorSummary? {
    ErrorSummary(
      predictions.compactMap { row in
        row.fitted.map { (row.label, row.error(of: $0)) }
      })
  }

  /// The leave-one-model-out errors.
  public var heldOutSummary: ErrorSummary? {
    ErrorSummary(
      predictions.compactMap { row in
        row.heldOut.map { (row.label, row.error(of: $0)) }
      })
  }

  /// The provenance a fitted factor records (`fitted_to`): the source of
  /// the measurements, the models and rows used and the in-sample error.
  ///
  /// - Parameter source: The measurements' file, as the user named it.
  /// - Returns: One line, e.g. `edgesim calibrate on m.csv lines 2, 5 (2
  ///   measurements of a, b); in-sample median |error| 3.1%, worst 5.0%; …`.
  public func provenance(source: String) -> String {
    let lines = predictions.map(\.label).map { label in
      label.split(separator: ":").last.map(String.init) ?? label
    }
    var text =
      "edgesim calibrate on \(source) lines \(lines.joined(separator: ", "))"
      + " (\(predictions.count) measurements of \(models.joined(separator: ", ")))"
    if let fitted = fittedSummary {
      text +=
        "; in-sample median |error| \(Self.percent(fitted.median)), worst \(Self.percent(fitted.worst))"
    }
    if let heldOut = heldOutSummary {
      text +=
        "; leave-one-model-out median \(Self.percent(heldOut.median)), worst \(Self.percent(heldOut.worst))"
    }
    return text
  }

  /// A fraction as a percentage with one decimal (`0.1234` → `12.3%`).
  public static func percent(_ fraction: Double) -> String {
    let tenths = (fraction * 1000).rounded()
    let sign = tenths < 0 ? "-" : ""
    let magnitude = Int(abs(tenths))
    return "\(sign)\(magnitude / 10).\(magnitude % 10)%"
  }
}
