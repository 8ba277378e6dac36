import Evaluation
import HardwareModel
import NetworkGraph
import Simulation

/// What simulating a point gave: the simulator's full summary, or why there
/// is none.
public enum PointSimulation: Hashable, Sendable {
  /// The run completed; every layer's figures are in the summary.
  case completed(RunSummary)
  /// The design cannot run the model: an override the device has no place
  /// for, or the simulator's reason (prefixed with the layer when it names
  /// one).
  case infeasible(reason: String)
  /// The point names layers its model lacks.
  case failed(error: String)
}

extension PointEvaluator {
  /// Simulates one point and returns the simulator's whole summary (every
  /// layer), as ``evaluate(_:network:device:accuracy:)`` sets it up: the
  /// point's overrides applied to the device, its precision and batch.
  ///
  /// `edgesim compare` uses it to see two stored points layer by layer,
  /// since a results file keeps only their totals.
  ///
  /// Pure and deterministic, like ``evaluate(_:network:device:accuracy:)``.
  ///
  /// - Parameters:
  ///   - point: The point.
  ///   - network: The point's model, loaded.
  ///   - device: The point's device as its file describes it.
  ///   - coding: The DRAM coding of a compressed point's weights.
  /// - Returns: The summary, or the reason the point is infeasible or the
  ///   error that makes it fail (the texts a sweep records).
  public static func simulate(
    _ point: DesignPoint, network: Network, device: Device,
    coding: DRAMCompression? = nil
  )
    -> PointSimulation
  {
    switch run(
      point, network: network, device: device, sharedAccuracy: nil,
      coding: coding)
    {
    case .success(let outcome): return .completed(outcome.summary)
    case .failure(.infeasible(let reason)): return .infeasible(reason: reason)
    case .failure(.failed(let error)): return .failed(error: error)
    }
  }
}

extension PointMetrics {
  /// The figures a sweep stores for a completed run (``top1`` left empty):
  /// latency of the batch, energy per inference and its breakdown, and the
  /// backing-store bytes of the batch.
  public init(_ summary: RunSummary) {
    let totals = summary.totals
    let energy = totals.energy
    self.init(
      latency: totals.latency, energy: totals.energyPerInference,
      macEnergy: energy.mac,
      operationEnergy: energy.operations,
      dramEnergy: energy.backingStore.joules,
      onChipEnergy: energy.onChip.reduce(0) { $0 + $1.joules },
      staticEnergy: energy.staticEnergy,
      dramBytes: totals.dramBytes)
  }
}
