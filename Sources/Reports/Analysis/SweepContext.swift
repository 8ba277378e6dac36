/// The points of one model on one device, and their own Pareto front.
///
/// A sweep over several models (or devices) answers one question per
/// context: which settings are worth considering for *this* model on
/// *this* device. One front over every point would let a cheaper model
/// hide another model's trade-offs entirely (issue #18, item 7), so the
/// report computes, draws and lists a front per context.
package struct SweepContext: Hashable, Sendable {
  /// The model, as the sweep file names it.
  package var model: String
  /// The device, as the sweep file names it.
  package var device: String
  /// The indices of the context's points, in the sweep's order.
  package var indices: [Int]
  /// The indices of the context's three-objective front, in
  /// ``ParetoFront/indices(of:objectives:)``'s order.
  package var front: [Int]

  /// The contexts of a sweep's points, by model then device, each with its
  /// front over `objectives`.
  ///
  /// - Complexity: O(n log n + n·f) for n points and fronts of at most f
  ///   points.
  package static func contexts(
    of points: [SweepReportPoint],
    objectives: ParetoFront.Objectives = .all
  ) -> [SweepContext] {
    var byKey: [Key: [Int]] = [:]
    for (i, p) in points.enumerated() {
      byKey[Key(model: p.model, device: p.device), default: []].append(i)
    }
    return byKey.keys.sorted().map { key in
      let indices = byKey[key] ?? []
      let subset = indices.map { points[$0] }
      let front = ParetoFront.indices(of: subset, objectives: objectives).map {
        indices[$0]
      }
      return SweepContext(
        model: key.model, device: key.device, indices: indices, front: front)
    }
  }

  /// What makes a context: the model and the device.
  struct Key: Hashable, Comparable {
    var model: String
    var device: String

    static func < (a: Key, b: Key) -> Bool {
      a.model != b.model ? a.model < b.model : a.device < b.device
    }
  }
}
