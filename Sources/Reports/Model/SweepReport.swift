/// A sweep's results, in the plain values the report draws.
///
/// The command line builds it from a results database; tests build it by
/// hand.
public struct SweepReport: Hashable, Sendable {
  /// The sweep's name, if the database records one.
  public var name: String?
  /// The completed points (status `done`).
  public var points: [SweepReportPoint]
  /// Points that are not done, by status (`infeasible`, `failed`).
  public var notDone: [String: Int]
  /// The precision search's chosen points.
  public var chosen: [ChosenMark]
  /// Float top-1 accuracy per model, where the sweep recorded it: the
  /// reference the fixed-point points are measured against.
  public var floatTop1: [String: Double]

  /// Creates a sweep.
  public init(
    name: String?, points: [SweepReportPoint], notDone: [String: Int] = [:],
    chosen: [ChosenMark] = [], floatTop1: [String: Double] = [:]
  ) {
    self.name = name
    self.points = points
    self.notDone = notDone
    self.chosen = chosen
    self.floatTop1 = floatTop1
  }
}

/// One completed design point of a sweep.
public struct SweepReportPoint: Hashable, Sendable {
  /// The point's stable identifier.
  public var id: String
  /// The model as the sweep file names it.
  public var model: String
  /// The device as the sweep file names it.
  public var device: String
  /// Inferences per run.
  public var batch: Int
  /// The precision settings (`axis=bits;…`), empty when none.
  public var precision: String
  /// The hardware overrides (`parameter=value;…`), empty when none.
  public var hardware: String
  /// Latency of the whole batch, seconds.
  public var latency: Double
  /// Energy per inference, joules.
  public var energy: Double
  /// Top-1 accuracy in [0, 1], or `nil` where it was not evaluated.
  public var top1: Double?

  /// Creates a point.
  public init(
    id: String, model: String, device: String, batch: Int, precision: String,
    hardware: String,
    latency: Double, energy: Double, top1: Double?
  ) {
    self.id = id
    self.model = model
    self.device = device
    self.batch = batch
    self.precision = precision
    self.hardware = hardware
    self.latency = latency
    self.energy = energy
    self.top1 = top1
  }
}

/// A point the precision search chose, to be marked on the charts.
public struct ChosenMark: Hashable, Sendable {
  /// The chosen point's identifier.
  public var pointID: String
  /// What the search was for (model, device, batch, hardware).
  public var context: String
  /// What it minimised: `energy` or `latency`.
  public var objective: String
  /// The accuracy budget, in accuracy points (percentage points of top-1).
  public var budget: Double

  /// Creates a mark.
  public init(
    pointID: String, context: String, objective: String, budget: Double
  ) {
    self.pointID = pointID
    self.context = context
    self.objective = objective
    self.budget = budget
  }
}
