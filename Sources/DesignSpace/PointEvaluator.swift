import Evaluation
import HardwareModel
import NetworkGraph
import Simulation

/// Evaluates design points through the one evaluation pipeline
/// (``Evaluator/evaluate(_:)``).
public enum PointEvaluator {
  /// Evaluates one point: overrides applied to the device, the point's
  /// precision and batch, and its top-1 by the shared judge when given.
  ///
  /// Pure and deterministic: the same point, network and device always
  /// give the same result, whatever else runs at the same time.
  ///
  /// - Parameters:
  ///   - point: The point.
  ///   - network: The point's model, loaded.
  ///   - device: The point's device as its file describes it.
  ///   - accuracy: Measures `top1` of points that simulate, when given.
  ///   - coding: The DRAM coding of the weights (a compressed point's
  ///     measured stored bits and densities), or `nil` for raw weights.
  /// - Returns: `done` with the figures, `infeasible` with the simulator's
  ///   or the overrides' reason, or `failed` when the point names layers the
  ///   model lacks or its accuracy cannot be measured.
  public static func evaluate(
    _ point: DesignPoint, network: Network, device: Device,
    accuracy: AccuracyEvaluator? = nil, coding: DRAMCompression? = nil
  ) -> PointResult {
    var shared: (@Sendable () -> Result<MeasuredAccuracy, AccuracyProblem>)?
    if let accuracy { shared = { accuracy.measured(of: point) } }
    switch run(
      point, network: network, device: device, sharedAccuracy: shared,
      coding: coding)
    {
    case .success(let outcome):
      var metrics = PointMetrics(outcome.summary)
      metrics.top1 = outcome.accuracy?.top1
      return PointResult(point: point, status: .done(metrics))
    case .failure(.infeasible(let reason)):
      return PointResult(point: point, status: .infeasible(reason: reason))
    case .failure(.failed(let error)):
      return PointResult(point: point, status: .failed(error: error))
    }
  }

  /// Why a point has no outcome, in the words a sweep records.
  public enum Refusal: Error, Sendable {
    /// The design cannot run the model.
    case infeasible(String)
    /// The point names layers its model lacks, or its accuracy cannot be
    /// measured.
    case failed(String)
  }

  /// The point's evaluation request, evaluated: the whole outcome, trace
  /// events included (`simulate --db R --point ID` writes its trace).
  public static func run(
    _ point: DesignPoint, network: Network, device: Device,
    sharedAccuracy: (
      @Sendable () -> Result<MeasuredAccuracy, AccuracyProblem>
    )? = nil,
    coding: DRAMCompression? = nil
  ) -> Result<EvaluationOutcome, Refusal> {
    let overridden: Device
    switch point.applyingOverrides(to: device) {
    case .success(let d): overridden = d
    case .failure(let problem): return .failure(.infeasible(problem.message))
    }
    var options = SimulationOptions()
    options.batch = point.batch
    options.compression = coding
    switch point.precisionChoice(for: network) {
    case .success(let choice): options.precision = choice
    case .failure(let problem): return .failure(.failed(problem.message))
    }
    let request = EvaluationRequest(
      network: network, device: overridden, options: options,
      sharedAccuracy: sharedAccuracy)
    switch Evaluator.evaluate(request) {
    case .success(let outcome):
      return .success(outcome)
    case .failure(.infeasible(let reason, let layer)):
      let place = layer.map { "layer '\($0)': " } ?? ""
      return .failure(.infeasible(place + reason))
    case .failure(.execution(let error)):
      return .failure(.failed(error.description))
    case .failure(.noSamplesToMeasure):
      return .failure(.failed("no samples to measure activation densities on"))
    case .failure(.accuracy(let problem)):
      return .failure(.failed("accuracy: \(problem.message)"))
    }
  }
}

extension PointEvaluator.Refusal: CustomStringConvertible {
  /// The refusal in words: `infeasible: …` or `failed: …`.
  public var description: String {
    switch self {
    case .infeasible(let reason): "infeasible: \(reason)"
    case .failed(let error): "failed: \(error)"
    }
  }
}
