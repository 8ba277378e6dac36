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
    _ point: DesignPoint, network: Network, device: Device, accuracy: AccuracyEvaluator? = nil
  ) -> PointResult {
    let overridden: Device
    switch point.applyingOverrides(to: device) {
    case .success(let d): overridden = d
    case .failure(let problem): return PointResult(point: point, status: .infeasible(reason: problem.message))
    }
    var options = SimulationOptions()
    options.batch = point.batch
    switch point.precisionChoice(for: network) {
    case .success(let choice): options.precision = choice
    case .failure(let problem): return PointResult(point: point, status: .failed(error: problem.message))
    }
    switch Simulator.run(network, on: overridden, options: options) {
    case .completed(let summary):
      let energy = summary.totals.energy
      var metrics = PointMetrics(
        latency: summary.totals.latency, energy: summary.totals.energyPerInference,
        macEnergy: energy.mac, operationEnergy: energy.operations,
        dramEnergy: energy.backingStore.joules,
        onChipEnergy: energy.onChip.reduce(0) { $0 + $1.joules },
        staticEnergy: energy.staticEnergy, dramBytes: summary.totals.dramBytes)
      if let accuracy {
        switch accuracy.top1(of: point) {
        case .success(let top1): metrics.top1 = top1
        case .failure(let problem):
          return PointResult(point: point, status: .failed(error: "accuracy: \(problem.message)"))
        }
      }
      return PointResult(point: point, status: .done(metrics))
    case .infeasible(let reason, let layer):
      let place = layer.map { "layer '\($0)': " } ?? ""
      return PointResult(point: point, status: .infeasible(reason: place + reason))
    }
  }
}
