/// The figures of a completed point.
public struct PointMetrics: Hashable, Sendable {
  /// Latency of the whole batch, seconds.
  public var latency: Double
  /// Energy per inference, joules.
  public var energy: Double
  /// MAC energy per inference, joules.
  public var macEnergy: Double
  /// Non-MAC operation energy per inference, joules.
  public var operationEnergy: Double
  /// Backing-store (DRAM) energy per inference, joules.
  public var dramEnergy: Double
  /// On-chip memory energy per inference over every level, joules.
  public var onChipEnergy: Double
  /// Static energy per inference, joules.
  public var staticEnergy: Double
  /// Backing-store bytes moved by the batch, either way.
  public var dramBytes: Int
  /// Top-1 accuracy in [0, 1], when it was evaluated.
  public var top1: Double?
  /// The compressed layers' stored bits (weights and biases,
  /// COMPRESSION.md §8), when the point compresses.
  public var storedBits: Int?
  /// Raw over stored bits of those layers, when the point compresses.
  public var compressionRatio: Double?

  /// Creates the figures.
  public init(
    latency: Double, energy: Double, macEnergy: Double, operationEnergy: Double,
    dramEnergy: Double, onChipEnergy: Double, staticEnergy: Double,
    dramBytes: Int,
    top1: Double? = nil
  ) {
    self.latency = latency
    self.energy = energy
    self.macEnergy = macEnergy
    self.operationEnergy = operationEnergy
    self.dramEnergy = dramEnergy
    self.onChipEnergy = onChipEnergy
    self.staticEnergy = staticEnergy
    self.dramBytes = dramBytes
    self.top1 = top1
  }
}

/// What became of a point: the three statuses a results store records.
public enum PointStatus: Hashable, Sendable {
  /// Simulated.
  case done(PointMetrics)
  /// The design cannot run the model (the reason says why).
  case infeasible(reason: String)
  /// The point could not be evaluated (the error says why).
  case failed(error: String)

  /// `done`, `infeasible` or `failed`.
  public var label: String {
    switch self {
    case .done: "done"
    case .infeasible: "infeasible"
    case .failed: "failed"
    }
  }

  /// The reason of an infeasible point or the error of a failed one.
  public var detail: String? {
    switch self {
    case .done: nil
    case .infeasible(let reason): reason
    case .failed(let error): error
    }
  }
}

/// A point and what became of it.
public struct PointResult: Hashable, Sendable {
  /// The point.
  public var point: DesignPoint
  /// The outcome.
  public var status: PointStatus

  /// Creates the result.
  public init(point: DesignPoint, status: PointStatus) {
    self.point = point
    self.status = status
  }
}
