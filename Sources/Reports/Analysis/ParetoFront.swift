/// The Pareto front of a sweep: the points no other point beats on every
/// objective at once.
///
/// Point *q dominates p* when q is at least as good on every objective in
/// use (energy and latency lower or equal, accuracy higher or equal) and
/// strictly better on one. The front is the set of points no point
/// dominates. Exact ties dominate neither way, so identical points are on
/// the front together. A point without an accuracy counts as worse than
/// any measured accuracy (and equal to another without one): with no
/// accuracy anywhere the front is the energy–latency front.
///
/// Points are visited in order of energy, then latency, then accuracy
/// (descending), then identifier. Any dominator of a point comes before
/// it in that order, and a dominated point is dominated by some point of
/// the front (dominance is transitive), so each point is checked against
/// the front found so far only.
///
/// - Complexity: O(n log n + n·f) for n points and a front of f points.
package enum ParetoFront {
  /// The objectives a front is computed over.
  package struct Objectives: OptionSet, Hashable, Sendable {
    package let rawValue: Int
    package init(rawValue: Int) { self.rawValue = rawValue }
    /// Energy per inference, lower is better.
    package static let energy = Objectives(rawValue: 1)
    /// Latency, lower is better.
    package static let latency = Objectives(rawValue: 2)
    /// Top-1 accuracy, higher is better.
    package static let accuracy = Objectives(rawValue: 4)
    /// All three.
    package static let all: Objectives = [.energy, .latency, .accuracy]
  }

  /// The indices of the front's points, by increasing energy (then
  /// latency, decreasing accuracy and identifier).
  ///
  /// Points whose energy or latency is not a finite number are ignored.
  package static func indices(
    of points: [SweepReportPoint], objectives: Objectives = .all
  ) -> [Int] {
    let order = points.indices.filter {
      points[$0].energy.isFinite && points[$0].latency.isFinite
    }
    .sorted { precedes(points[$0], points[$1], objectives) }
    var front: [Int] = []
    for i in order
    where !front.contains(where: {
      dominates(points[$0], points[i], objectives)
    }) {
      front.append(i)
    }
    return front
  }

  /// Whether `q` dominates `p` on the objectives.
  package static func dominates(
    _ q: SweepReportPoint, _ p: SweepReportPoint, _ objectives: Objectives
  ) -> Bool {
    var strictly = false
    if objectives.contains(.energy) {
      if q.energy > p.energy { return false }
      if q.energy < p.energy { strictly = true }
    }
    if objectives.contains(.latency) {
      if q.latency > p.latency { return false }
      if q.latency < p.latency { strictly = true }
    }
    if objectives.contains(.accuracy) {
      let a = accuracy(q)
      let b = accuracy(p)
      if a < b { return false }
      if a > b { strictly = true }
    }
    return strictly
  }

  /// The visiting order: energy, latency, accuracy descending, identifier.
  static func precedes(
    _ p: SweepReportPoint, _ q: SweepReportPoint, _ objectives: Objectives
  ) -> Bool {
    if objectives.contains(.energy) && p.energy != q.energy {
      return p.energy < q.energy
    }
    if objectives.contains(.latency) && p.latency != q.latency {
      return p.latency < q.latency
    }
    if objectives.contains(.accuracy) && accuracy(p) != accuracy(q) {
      return accuracy(p) > accuracy(q)
    }
    return p.id < q.id
  }

  /// Accuracy with a missing (or NaN) value below every measured one.
  static func accuracy(_ p: SweepReportPoint) -> Double {
    guard let top1 = p.top1, !top1.isNaN else { return -.infinity }
    return top1
  }
}
