import DesignSpace
import ResultsStore

/// The one writer of a sweep's results: claims points for this worker,
/// stores each result in its own transaction as it completes (releasing
/// its claim), counts statuses and draws progress.
actor SweepRecorder {
  let store: ResultsStore
  let worker: SweepWorker
  private var progress: SweepProgress
  private(set) var completed = 0
  private(set) var counts: [String: Int] = [:]

  init(
    store: ResultsStore, worker: SweepWorker, pending: Int,
    progress mode: SweepProgress.Mode
  ) {
    self.store = store
    self.worker = worker
    progress = SweepProgress(total: pending, mode: mode)
  }

  /// Whether the point is already stored (resuming skips it).
  func contains(_ point: DesignPoint) throws -> Bool {
    try store.contains(point.id)
  }

  /// Claims the point for this worker (see ``ResultsStore/claim(_:by:)``).
  func claim(_ point: DesignPoint) throws -> PointClaim {
    try store.claim(point.id, by: worker)
  }

  /// The point's stored result, if any (a resumed search reads it back).
  func stored(_ point: DesignPoint) throws -> PointResult? {
    try store.storedResult(of: point)
  }

  /// Stores one result and advances the progress line.
  func record(_ result: PointResult) throws {
    try store.record(result)
    completed += 1
    counts[result.status.label, default: 0] += 1
    progress.update(completed: completed)
  }

  /// Ends the progress line.
  func finish() { progress.finish() }
}
