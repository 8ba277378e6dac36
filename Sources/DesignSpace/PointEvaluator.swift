import HardwareModel
import NetworkGraph
import Simulation

/// Evaluates design points with the simulator.
public enum PointEvaluator {
  /// Simulates one point: overrides applied to the device, the point's
  /// precision and batch.
  ///
  /// Pure and deterministic: the same point, network and device always
  /// give the same result, whatever else runs at the same time.
  ///
  /// - Parameters:
  ///   - point: The point.
  ///   - network: The point's model, loaded.
  ///   - device: The point's device as its file describes it.
  ///   - accuracy: Measures `top1` of points that simulate, when given.
  /// - Returns: `done` with the figures, `infeasible` with the simulator's
  ///   or the overrides' reason, or `failed` when the point names layers the
  ///   model lacks or its accuracy cannot be measured.
  public static func evaluate(
    _ point: DesignPoint, network: Network, device: Device,
    accuracy: AccuracyEvaluator? = nil
  ) -> PointResult {
    switch simulate(point, network: network, device: device) {
    case .infeasible(let reason):
      return PointResult(point: point, status: .infeasible(reason: reason))
    case .failed(let error):
      return PointResult(point: point, status: .failed(error: error))
    case .completed(let summary):
      var metrics = PointMetrics(summary)
      if let accuracy {
        switch accuracy.top1(of: point) {
        case .success(let top1): metrics.top1 = top1
        case .failure(let problem):
          return PointResult(
            point: point, status: .failed(error: "accuracy: \(problem.message)")
          )
        }
      }
      return PointResult(point: point, status: .done(metrics))
    }
  }
}
