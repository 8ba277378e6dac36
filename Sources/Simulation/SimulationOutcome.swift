/// The result of a simulation: a summary, or why the network cannot run on the
/// device.
///
/// Infeasibility is a value, not an error (a sweep records it like any other
/// outcome).
public enum SimulationOutcome: Hashable, Sendable {
  /// The run completed.
  case completed(RunSummary)
  /// The run cannot happen: an unsupported precision, a tile that does not
  /// fit even at its smallest, an activation that has no room.
  case infeasible(reason: String, layer: String?)

  /// The summary, when completed.
  public var summary: RunSummary? {
    if case .completed(let summary) = self { return summary }
    return nil
  }
}
