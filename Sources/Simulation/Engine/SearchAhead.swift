import Dispatch
import Mapping
import Synchronization

/// MAC layers' mapping searches run ahead of the run on a second thread.
///
/// The run walks the layers in order; most of its time goes to the mapping
/// searches of distinct keys (``MACEvaluationKey``), each a pure function
/// of its key. One worker thread, started once per run, searches the keys
/// the run will ask for (``RunEngine/predictedSearches()``) from the last
/// back, while the run searches from the first on and does everything else
/// (in the run's order, the worker was always on the key the run needed
/// next, and the run waited on it). The run takes a result
/// only for an exactly equal key; a key the worker has not started is
/// claimed by the run and searched inline, and one the worker is searching
/// is waited for. Every result is the one the run's own search gives, so
/// the output does not depend on the schedule. (Splitting one search over
/// two threads did not pay: a fork costs about 30 µs on a 2-core VM, and
/// most searches are shorter than that; BENCHMARKS.md, "NASNet-large".)
final class SearchAhead: Sendable {
  private enum Slot {
    case worker
    case run
    case done(LayerEvaluation)
    case failed
  }

  private struct State {
    var slots: [MACEvaluationKey: Slot] = [:]
    var stopped = false
  }

  private let state = Mutex(State())
  /// Signalled after every search the worker finishes.
  private let finished = DispatchSemaphore(value: 0)

  /// Starts the worker on `searches`, evaluated as `evaluator` does.
  static func start(
    _ searches:
      @escaping @Sendable () -> [(
        key: MACEvaluationKey, context: LayerContext
      )],
    evaluator: MACLayerEvaluator
  ) -> SearchAhead {
    let ahead = SearchAhead()
    DispatchQueue.global(qos: .userInitiated).async {
      ahead.work(searches(), evaluator: evaluator)
    }
    return ahead
  }

  private func work(
    _ searches: [(key: MACEvaluationKey, context: LayerContext)],
    evaluator: MACLayerEvaluator
  ) {
    var scratch = MappingScratch()
    // From the last key back: the run takes keys from the first on, so the
    // two meet once instead of the run waiting on every key in turn.
    for (key, context) in searches.reversed() {
      guard case .mac(let nest) = context.layer.work else { continue }
      let claimed = state.withLock { state -> Bool in
        guard !state.stopped, state.slots[key] == nil else { return false }
        state.slots[key] = .worker
        return true
      }
      if !claimed {
        if state.withLock({ $0.stopped }) { return }
        continue
      }
      let slot: Slot
      switch evaluator.evaluate(context, nest: nest, scratch: &scratch) {
      case .success(let evaluation): slot = .done(evaluation)
      case .failure: slot = .failed
      }
      state.withLock { $0.slots[key] = slot }
      finished.signal()
    }
  }

  /// The worker's evaluation for `key`, waiting if it is being searched;
  /// `nil` when the caller must search it (the key is then the caller's,
  /// or the worker's search failed, whose failure names its own layer).
  func take(_ key: MACEvaluationKey) -> LayerEvaluation? {
    while true {
      let found = state.withLock { state -> Slot? in
        guard let slot = state.slots[key] else {
          state.slots[key] = .run
          return nil
        }
        return slot
      }
      switch found {
      case .none, .run, .failed: return nil
      case .done(let evaluation): return evaluation
      case .worker: finished.wait()
      }
    }
  }

  /// Stops the worker after its current search.
  func stop() {
    state.withLock { $0.stopped = true }
  }
}
