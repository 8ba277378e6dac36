import HardwareModel
import RealModule
import Simulation

/// Fits a device's free parameters to measured latencies and predicts
/// each measured model from a fit that did not see it.
///
/// The objective is the sum of squared log errors,
/// `Σ (ln predicted − ln measured)²`, so every measurement weighs by its
/// relative error, whatever its size. Parameters are fitted on a log scale
/// within their bounds by bounded Levenberg–Marquardt
/// (``BoundedLeastSquares``) from the device's current values; every
/// residual is one run of the simulator (``Simulator/run(_:on:options:)``,
/// the engine `simulate` uses). Fitted values are rounded to six
/// significant digits before the final predictions, so a device file
/// written with them reproduces the report exactly.
///
/// Pure and deterministic.
public enum LatencyCalibrator {
  /// Predicts every measurement on a device.
  ///
  /// - Returns: The predicted latencies, seconds, in order.
  /// - Throws: ``CalibrationFailure/infeasible(label:reason:)`` when a
  ///   network cannot run on the device.
  /// - Complexity: One simulation per measurement.
  public static func predict(
    _ measurements: [LatencyMeasurement], on device: Device
  )
    throws(CalibrationFailure) -> [Double]
  {
    var latencies: [Double] = []
    latencies.reserveCapacity(measurements.count)
    for measurement in measurements {
      switch Simulator.run(
        measurement.network, on: device, options: measurement.options)
      {
      case .completed(let summary): latencies.append(summary.totals.latency)
      case .infeasible(let reason, let layer):
        let place = layer.map { " (layer '\($0)')" } ?? ""
        throw .infeasible(label: measurement.label, reason: reason + place)
      }
    }
    return latencies
  }

  /// Fits parameters to measurements.
  ///
  /// - Parameters:
  ///   - parameters: The free parameters, with their starting values.
  ///   - device: The device they apply to.
  ///   - measurements: What to fit to (at least one).
  /// - Returns: The fitted values (rounded to six significant digits) and
  ///   the device with them applied.
  /// - Throws: ``CalibrationFailure/infeasible(label:reason:)``.
  public static func fit(
    _ parameters: [FreeParameter], on device: Device,
    to measurements: [LatencyMeasurement]
  ) throws(CalibrationFailure) -> (values: [Double], device: Device) {
    try fit(
      parameters, on: device, to: measurements,
      shortcut: shortcut(parameters, measurements, on: device))
  }

  /// What a trial of a fit evaluates instead of simulating every
  /// measurement, when the device's time is a closed form of its free
  /// parameters.
  enum Shortcut {
    /// A processor's per-operator execution model: every layer's kernel
    /// work (``KernelWork``); a latency is the sum of closed-form kernel
    /// times (``KernelModel/seconds(_:runtime:)``, what the engine charges).
    case kernels([[KernelWork]])
    /// An accelerator whose only free parameter is its runtime's per-layer
    /// time: each measurement's latency without it and the layers its
    /// runtime issues (``KernelModel/dispatchedLayers(_:on:options:)``); a
    /// latency is `base + layers · dispatch`, what the engine charges.
    case layerOverhead(base: [Double], layers: [Int])

    /// The shortcut of the measurements at `indices`.
    func subset(_ indices: [Int]) -> Shortcut {
      switch self {
      case .kernels(let works): .kernels(indices.map { works[$0] })
      case .layerOverhead(let base, let layers):
        .layerOverhead(
          base: indices.map { base[$0] }, layers: indices.map { layers[$0] })
      }
    }

    /// Every measurement's latency on a trial device, seconds.
    func latencies(on trial: Device) -> [Double] {
      let runtime = trial.runtime ?? RuntimeModel()
      switch self {
      case .kernels(let works):
        return works.map { layers in
          KernelModel.seconds(layers, runtime: runtime)
        }
      case .layerOverhead(let base, let layers):
        return zip(base, layers).map {
          $0 + Double($1) * runtime.dispatchSeconds
        }
      }
    }
  }

  /// The weight of a drawn parameter's prior residual,
  /// `priorWeight · (ln value − ln toward)`, beside the measurements'
  /// residuals `ln predicted − ln measured`.
  ///
  /// A kernel class's fraction (`pointwise`, `fully_connected`) is pinned
  /// only by the measured networks that have such layers; where they are
  /// few (a leave-one-model-out fit without the one fully connected
  /// network), the prior keeps it at `dense` rather than at its starting
  /// value. At 0.2, a class twice as fast as `dense` costs as much as one
  /// measurement missed by 15%: the data outweighs it wherever they
  /// speak. The weight is a modelling choice, not fitted.
  public static let priorWeight = 0.2

  /// Fits parameters, with a ``Shortcut`` when the device has one.
  ///
  /// With a shortcut, a residual is closed-form arithmetic, not a run of
  /// the simulator: the fit costs microseconds per trial.
  static func fit(
    _ parameters: [FreeParameter], on device: Device,
    to measurements: [LatencyMeasurement], shortcut: Shortcut?
  ) throws(CalibrationFailure) -> (values: [Double], device: Device) {
    // A held parameter keeps its value: the solver moves the others only.
    let free = parameters.indices.filter { !parameters[$0].isHeld }
    let held = parameters.map { Double.log($0.value) }
    let solver = BoundedLeastSquares(
      lower: free.map { .log(parameters[$0].bounds.lowerBound) },
      upper: free.map { .log(parameters[$0].bounds.upperBound) })
    let measured = measurements.map { Double.log($0.latency) }
    let priors: [(Int, Int)] = parameters.indices.compactMap { index in
      guard !parameters[index].isHeld,
        let name = parameters[index].drawnToward,
        let other = parameters.firstIndex(where: { $0.name == name })
      else { return nil }
      return (index, other)
    }
    /// Every parameter's log value: the solver's for the free ones.
    func full(_ point: [Double]) -> [Double] {
      var result = held
      for (index, value) in zip(free, point) { result[index] = value }
      return result
    }
    var point = held
    if !free.isEmpty {
      let (solved, _) = try solver.minimise(
        from: free.map { held[$0] }
      ) {
        (point) throws(CalibrationFailure) -> [Double] in
        let logs = full(point)
        let trial = applying(
          parameters, values: logs.map { .exp($0) }, to: device)
        let predicted: [Double]
        if let shortcut {
          predicted = shortcut.latencies(on: trial)
        } else {
          predicted = try predict(measurements, on: trial)
        }
        return zip(predicted, measured).map { .log(max($0, 1e-300)) - $1 }
          + priors.map { priorWeight * (logs[$0.0] - logs[$0.1]) }
      }
      point = full(solved)
    }
    let values = parameters.indices.map { index in
      let parameter = parameters[index]
      if parameter.isHeld { return parameter.value }
      let rounded = roundedToSixDigits(.exp(point[index]))
      return min(
        max(rounded, parameter.bounds.lowerBound), parameter.bounds.upperBound)
    }
    return (values, applying(parameters, values: values, to: device))
  }

  /// The shortcut of a fit of `parameters` on the device: the kernel work
  /// of every measurement on a processor with a `runtime:` block; on an
  /// accelerator whose free parameter is its runtime's `dispatch` alone,
  /// every measurement simulated once without it and its issued layers;
  /// else `nil` (every trial simulates).
  static func shortcut(
    _ parameters: [FreeParameter], _ measurements: [LatencyMeasurement],
    on device: Device
  ) throws(CalibrationFailure) -> Shortcut? {
    guard device.runtime != nil else { return nil }
    if RuntimeModel.timesOperators(on: device.compute.organisation) {
      return .kernels(try kernelWorks(measurements, on: device))
    }
    let dispatch = "runtime.\(RuntimeParameter.dispatch.rawValue)"
    guard parameters.allSatisfy({ $0.name == dispatch }) else { return nil }
    var bare = device
    bare.runtime = nil
    let base = try predict(measurements, on: bare)
    var layers: [Int] = []
    for measurement in measurements {
      switch KernelModel.dispatchedLayers(
        measurement.network, on: device, options: measurement.options)
      {
      case .success(let count): layers.append(count)
      case .failure(let failure):
        throw .infeasible(label: measurement.label, reason: failure.reason)
      }
    }
    return .layerOverhead(base: base, layers: layers)
  }

  /// The kernel work of every measurement on a processor.
  static func kernelWorks(
    _ measurements: [LatencyMeasurement], on device: Device
  ) throws(CalibrationFailure) -> [[KernelWork]] {
    var result: [[KernelWork]] = []
    for measurement in measurements {
      switch KernelModel.works(
        measurement.network, on: device, options: measurement.options)
      {
      case .success(let works): result.append(works)
      case .failure(let failure):
        let place = failure.layer.map { " (layer '\($0)')" } ?? ""
        throw .infeasible(
          label: measurement.label, reason: failure.reason + place)
      }
    }
    return result
  }

  /// Fits every parameter to every measurement (in sample) and, for each
  /// model, to the other models' measurements only (leave-one-model-out).
  ///
  /// - Parameters:
  ///   - measurements: What to fit to and predict.
  ///   - device: The device as given.
  ///   - parameters: Its free parameters (at least one).
  /// - Returns: The in-sample fitted device and every prediction.
  /// - Throws: ``CalibrationFailure/noFreeParameters(device:)``,
  ///   ``CalibrationFailure/noMeasurements``,
  ///   ``CalibrationFailure/tooFewModels(found:)`` (fewer than two models),
  ///   ``CalibrationFailure/infeasible(label:reason:)``.
  /// - Complexity: One fit per model plus one, each a few dozen
  ///   simulations of every measurement it uses per parameter.
  public static func calibrate(
    _ measurements: [LatencyMeasurement], on device: Device,
    parameters: [FreeParameter]
  ) throws(CalibrationFailure) -> CalibrationReport {
    guard parameters.contains(where: { !$0.isHeld }) else {
      throw .noFreeParameters(device: device.name)
    }
    guard !measurements.isEmpty else { throw .noMeasurements }
    let models = distinctModels(measurements)
    guard models.count >= 2 else { throw .tooFewModels(found: models) }
    var report = try assess(measurements, on: device)
    let shortcut = try shortcut(parameters, measurements, on: device)
    let (values, fitted) = try fit(
      parameters, on: device, to: measurements, shortcut: shortcut)
    let inSample = try predict(measurements, on: fitted)
    for index in report.predictions.indices {
      report.predictions[index].fitted = inSample[index]
    }
    for model in models {
      let training = measurements.filter { $0.model != model }
      let heldOutIndices = measurements.indices.filter {
        measurements[$0].model == model
      }
      let (_, heldOutDevice) = try fit(
        parameters, on: device, to: training,
        shortcut: shortcut?.subset(
          measurements.indices.filter { measurements[$0].model != model }))
      let predictions = try predict(
        heldOutIndices.map { measurements[$0] }, on: heldOutDevice)
      for (index, prediction) in zip(heldOutIndices, predictions) {
        report.predictions[index].heldOut = prediction
      }
    }
    report.device = fitted
    report.isFitted = true
    report.parameters = zip(parameters, values).map { parameter, value in
      FittedParameter(
        name: parameter.name, initial: parameter.value, fitted: value,
        initialFittedTo: parameter.fittedTo, isHeld: parameter.isHeld)
    }
    return report
  }

  /// Predicts every measurement with the device as given, fitting nothing.
  ///
  /// - Throws: ``CalibrationFailure/noMeasurements``,
  ///   ``CalibrationFailure/infeasible(label:reason:)``.
  public static func assess(
    _ measurements: [LatencyMeasurement], on device: Device,
    parameters: [FreeParameter] = []
  ) throws(CalibrationFailure) -> CalibrationReport {
    guard !measurements.isEmpty else { throw .noMeasurements }
    let initial = try predict(measurements, on: device)
    return CalibrationReport(
      device: device,
      parameters: parameters.map {
        FittedParameter(
          name: $0.name, initial: $0.value, fitted: $0.value,
          initialFittedTo: $0.fittedTo, isHeld: $0.isHeld)
      },
      predictions: zip(measurements, initial).map { measurement, prediction in
        MeasurementPrediction(
          label: measurement.label, model: measurement.model,
          measured: measurement.latency, initial: prediction)
      },
      models: distinctModels(measurements), isFitted: false)
  }

  /// The models of the measurements, in order of first appearance.
  static func distinctModels(_ measurements: [LatencyMeasurement]) -> [String] {
    var seen: Set<String> = []
    return measurements.map(\.model).filter { seen.insert($0).inserted }
  }

  /// The device with every parameter set to its value.
  static func applying(
    _ parameters: [FreeParameter], values: [Double], to device: Device
  ) -> Device {
    var result = device
    for (parameter, value) in zip(parameters, values) {
      parameter.apply(&result, value)
    }
    return result
  }

  /// A positive value rounded to six significant digits, as the nearest
  /// double to that decimal (so it prints as the decimal).
  static func roundedToSixDigits(_ value: Double) -> Double {
    guard value > 0, value.isFinite else { return value }
    let exponent = Int(Double.log10(value).rounded(.down))
    let shift = 5 - exponent
    var scale = 1.0
    for _ in 0..<min(abs(shift), 22) { scale *= 10 }
    return shift >= 0
      ? (value * scale).rounded() / scale : (value / scale).rounded() * scale
  }
}
