import PrecisionModel

/// A move the precision search made: one axis lowered to a setting.
public struct SearchStep: Hashable, Sendable {
  /// The axis's label (a compression axis's ``CompressionAxis/name``).
  public var axis: String
  /// Its new setting as points write it: `4/fl3` for precision, `0.5` or
  /// `none` for compression.
  public var setting: String
  /// The point reached.
  public var pointID: String
  /// The objective's value there.
  public var objective: Double
  /// Top-1 there, in [0, 1].
  public var top1: Double
}

/// What the precision search found for one context.
public struct SearchOutcome: Hashable, Sendable {
  /// The context's name (``SearchContext/name``).
  public var context: String
  /// The objective and budget.
  public var goal: SearchGoal
  /// The float model's top-1, in [0, 1].
  public var floatTop1: Double
  /// The most precise point, where the search starts (every axis at its
  /// most bits): the reference the saving is measured against.
  public var start: PointResult
  /// The chosen point: the last one reached within the budget; `nil` when
  /// even the start misses it.
  public var chosen: PointResult?
  /// The moves, in order.
  public var steps: [SearchStep]
  /// Distinct points the search evaluated.
  public var evaluations: Int
  /// Why nothing was chosen.
  public var reason: String?
}

/// The energy-aware precision search: a greedy descent over a study's
/// precision and compression axes that minimises energy (or latency) per
/// inference while top-1 stays within a budget of the float model's.
///
/// Each precision axis's settings are grouped by bits; each compression
/// axis's levels are ordered from the least compressing (`none`, density
/// 1, most cluster bits) to the most, one level each. The search starts
/// with every axis at its first level (most bits, least compression);
/// where an axis offers several fractional lengths at those bits, it keeps
/// the most accurate. Then, at each step, it tries lowering every axis by
/// one level (for each fractional length that level offers, keeping the
/// most accurate), and makes the move with the
/// largest relative saving of the objective per point of top-1 lost among
/// moves that save something and stay within the budget. An axis whose
/// move breaks the budget or saves nothing is not tried again. It stops
/// when no move is left; the point reached is chosen.
///
/// Evaluations within a step run concurrently; the walk depends only on
/// the results, so the same inputs give the same walk, and a search whose
/// evaluations are read back from a results file (resuming) repeats it.
/// At most Σ levels steps of at most Σ settings evaluations each.
public enum PrecisionSearch {
  /// Accuracy losses below this (0.1 point) count as this much when moves
  /// are ranked, so free moves rank by their saving.
  static let lossFloor = 0.001

  /// Runs the search in one context.
  ///
  /// - Parameters:
  ///   - context: The model, device, batch and hardware setting.
  ///   - plan: The plan the context belongs to.
  ///   - goal: Objective and budget.
  ///   - floatTop1: The float model's top-1 on the evaluation set, in [0, 1].
  ///   - jobs: Evaluations in flight at once.
  ///   - evaluate: Simulates a point and measures its top-1.
  /// - Returns: The chosen point, the walk that led to it and every point
  ///   evaluated.
  /// - Throws: What `evaluate` throws.
  public static func run(
    context: SearchContext, in plan: SweepPlan, goal: SearchGoal,
    floatTop1: Double, jobs: Int,
    evaluate: @escaping @Sendable (DesignPoint) async throws -> PointResult
  ) async throws -> SearchOutcome {
    let axes = SearchAxis.axes(of: plan.studies[context.study])
    var walk = Walk(
      context: context, plan: plan, jobs: max(1, jobs), evaluate: evaluate,
      objective: goal.objective)
    let floor = floatTop1 - goal.maxAccuracyDrop / 100
    let levels = axes.map(\.levels)
    func variants(_ axis: Int, _ level: Int) -> [Int] {
      levels[axis][level]
    }
    var state = axes.indices.map { variants($0, 0).first ?? 0 }
    var levelOf = Array(repeating: 0, count: axes.count)
    var current = try await walk.results(of: [state])[0]
    for axis in axes.indices where variants(axis, 0).count > 1 {
      let candidates = variants(axis, 0).map { index -> [Int] in
        var s = state
        s[axis] = index
        return s
      }
      let results = try await walk.results(of: candidates)
      if let best = walk.mostAccurate(
        results.indices.map { (candidates[$0], results[$0]) })
      {
        (state, current) = best
      }
    }
    var outcome = SearchOutcome(
      context: context.name, goal: goal, floatTop1: floatTop1, start: current,
      chosen: nil,
      steps: [], evaluations: 0, reason: nil)
    guard case .done(let startMetrics) = current.status,
      let startTop1 = startMetrics.top1
    else {
      outcome.reason =
        "the most precise point is \(current.status.label)"
        + (current.status.detail.map { ": \($0)" } ?? " without a top-1")
      outcome.evaluations = walk.memo.count
      return outcome
    }
    guard startTop1 >= floor else {
      outcome.reason =
        "the most precise point has top-1 \(percent(startTop1)), below the budget's floor \(percent(floor))"
      outcome.evaluations = walk.memo.count
      return outcome
    }
    var frozen = Set<Int>()
    var value = goal.objective.value(of: startMetrics)
    var top1 = startTop1
    while true {
      var proposals: [(axis: Int, states: [[Int]])] = []
      for axis in axes.indices
      where !frozen.contains(axis) && levelOf[axis] + 1 < levels[axis].count {
        let states = variants(axis, levelOf[axis] + 1).map { index -> [Int] in
          var s = state
          s[axis] = index
          return s
        }
        proposals.append((axis, states))
      }
      if proposals.isEmpty { break }
      let results = try await walk.results(of: proposals.flatMap(\.states))
      var offset = 0
      var best:
        (
          axis: Int, state: [Int], result: PointResult, score: Double,
          saving: Double
        )?
      for proposal in proposals {
        let slice = results[offset..<(offset + proposal.states.count)]
        offset += proposal.states.count
        let pairs = zip(proposal.states, slice).map { ($0, $1) }
        guard let (candidate, result) = walk.mostAccurate(pairs),
          case .done(let metrics) = result.status,
          let candidateTop1 = metrics.top1,
          candidateTop1 >= floor
        else {
          frozen.insert(proposal.axis)
          continue
        }
        let saving = (value - goal.objective.value(of: metrics)) / value
        guard saving > 0, saving.isFinite else {
          frozen.insert(proposal.axis)
          continue
        }
        let score = saving / max(top1 - candidateTop1, lossFloor)
        if let b = best, (score, saving) <= (b.score, b.saving) { continue }
        best = (proposal.axis, candidate, result, score, saving)
      }
      guard let move = best, case .done(let metrics) = move.result.status else {
        break
      }
      state = move.state
      levelOf[move.axis] += 1
      current = move.result
      value = goal.objective.value(of: metrics)
      top1 = metrics.top1 ?? top1
      outcome.steps.append(
        SearchStep(
          axis: axes[move.axis].label,
          setting: axes[move.axis].settings[state[move.axis]],
          pointID: current.point.id, objective: value, top1: top1))
    }
    outcome.chosen = current
    outcome.evaluations = walk.memo.count
    return outcome
  }
}

/// An axis as the search walks it: its label, its settings as text, and
/// its levels (groups of setting indices), the first the most precise.
struct SearchAxis {
  var label: String
  var settings: [String]
  var levels: [[Int]]

  /// The precision axes of a study (bit levels, most bits first, each with
  /// its fractional lengths), then its compression axes (one level per
  /// value, the least compressing first).
  static func axes(of study: Study) -> [SearchAxis] {
    var axes = study.precisionAxes.map { axis in
      let bits = Array(Set(axis.settings.map(\.bits))).sorted(by: >)
      return SearchAxis(
        label: axis.label, settings: axis.settings.map(\.canonical),
        levels: bits.map { b in
          axis.settings.indices.filter { axis.settings[$0].bits == b }
        })
    }
    axes += study.compressionAxes.map { axis in
      SearchAxis(
        label: axis.name, settings: axis.levels.map(\.canonical),
        levels: axis.orderByCompression.map { [$0] })
    }
    return axes
  }
}

/// A fraction as a percentage with two decimals: `97.96%`.
func percent(_ fraction: Double) -> String {
  "\((fraction * 10_000).rounded() / 100)%"
}

/// The search's evaluations: concurrent, memoised by setting indices.
private struct Walk {
  let context: SearchContext
  let plan: SweepPlan
  let jobs: Int
  let evaluate: @Sendable (DesignPoint) async throws -> PointResult
  let objective: SearchObjective
  var memo: [[Int]: PointResult] = [:]

  /// The results of points, in the order asked, evaluating each new one
  /// once (at most `jobs` at a time).
  mutating func results(of states: [[Int]]) async throws -> [PointResult] {
    let fresh = Array(Set(states.filter { memo[$0] == nil })).sorted {
      $0.lexicographicallyPrecedes($1)
    }
    let points = fresh.map { plan.point(in: context, settings: $0) }
    let evaluate = self.evaluate
    let limit = jobs
    let computed = try await withThrowingTaskGroup(of: (Int, PointResult).self)
    { group in
      var results = [PointResult?](repeating: nil, count: points.count)
      var next = 0
      while next < min(limit, points.count) {
        let index = next
        group.addTask { (index, try await evaluate(points[index])) }
        next += 1
      }
      while let (index, result) = try await group.next() {
        results[index] = result
        if next < points.count {
          let index = next
          group.addTask { (index, try await evaluate(points[index])) }
          next += 1
        }
      }
      return results.compactMap { $0 }
    }
    for (state, result) in zip(fresh, computed) { memo[state] = result }
    return states.compactMap { memo[$0] }
  }

  /// The most accurate done point among candidates: highest top-1, then
  /// lowest objective, then the first.
  func mostAccurate(_ candidates: [([Int], PointResult)]) -> (
    [Int], PointResult
  )? {
    var best: ([Int], PointResult, Double, Double)?
    for (state, result) in candidates {
      guard case .done(let metrics) = result.status, let top1 = metrics.top1
      else { continue }
      let value = objective.value(of: metrics)
      if let b = best, top1 < b.2 || (top1 == b.2 && value >= b.3) { continue }
      best = (state, result, top1, value)
    }
    if let best { return (best.0, best.1) }
    return candidates.first
  }
}
