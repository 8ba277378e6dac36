import DesignSpace
import Foundation
import HardwareModel
import ResultsStore

/// `edgesim sweep` with `strategy: {search: …}`: the precision search in
/// every context of one shard, each evaluated point and each outcome
/// stored as it completes, so a killed search resumes where it stopped.
enum SweepSearch {
  /// Runs the searches not yet stored and prints one line per context.
  ///
  /// - Returns: The outcomes of the contexts run now (stored ones are
  ///   skipped).
  static func run(
    _ plan: SweepPlan, goal: SearchGoal, shard: Shard, inputs: SweepInputs,
    store: ResultsStore, worker: SweepWorker,
    jobs: Int
  ) async throws -> [SearchOutcome] {
    let recorder = SweepRecorder(
      store: store, worker: worker, pending: 0, progress: .quiet)
    var outcomes: [SearchOutcome] = []
    for context in plan.searchContexts(in: shard) {
      if try store.hasSearchOutcome(context.name) {
        Terminal.standardError("search \(context.name): already stored")
        continue
      }
      let first = plan.point(in: context, settings: [])
      guard let judge = inputs.accuracyEvaluator(for: first) else {
        Terminal.standardError(
          "search \(context.name): skipped (model not loaded)")
        continue
      }
      let outcome = try await PrecisionSearch.run(
        context: context, in: plan, goal: goal, floatTop1: judge.floatTop1,
        jobs: jobs,
        evaluate: { point in
          if let stored = try await recorder.stored(point) { return stored }
          let result = inputs.evaluate(point)
          try await recorder.record(result)
          return result
        })
      try store.record(outcome)
      Terminal.standardError(describe(outcome))
      outcomes.append(outcome)
    }
    return outcomes
  }

  /// One line: what was chosen and what it saves against the most precise
  /// point.
  static func describe(_ outcome: SearchOutcome) -> String {
    let head = "search \(outcome.context):"
    guard let chosen = outcome.chosen, case .done(let c) = chosen.status,
      case .done(let s) = outcome.start.status
    else {
      return
        "\(head) nothing chosen (\(outcome.reason ?? "no point"); \(outcome.evaluations) points evaluated)"
    }
    let objective = outcome.goal.objective
    let format: (Double) -> String =
      objective == .energy
      ? { UnitFormatter.decimal($0, unit: "J") }
      : { UnitFormatter.decimal($0, unit: "s") }
    let before = objective.value(of: s)
    let after = objective.value(of: c)
    let change =
      before > 0
      ? String(format: "%+.1f%%", (after - before) / before * 100) : "n/a"
    let precision =
      (chosen.point.precision.map { "\($0.axis)=\($0.setting.canonical)" }
      + chosen.point.compression.map(\.canonical))
      .joined(separator: ";")
    return
      "\(head) chose \(precision) (point \(chosen.point.id)): \(objective.rawValue) "
      + "\(format(after)) vs \(format(before)) at the most precise point (\(change)); "
      + String(
        format:
          "top-1 %.2f%% vs %.2f%% (float %.2f%%, budget %.1f points); %d points evaluated",
        (c.top1 ?? 0) * 100, (s.top1 ?? 0) * 100, outcome.floatTop1 * 100,
        outcome.goal.maxAccuracyDrop, outcome.evaluations)
  }
}
