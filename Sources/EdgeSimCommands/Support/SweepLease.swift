import Foundation
import ResultsStore

/// Keeps a worker's claims alive while it runs: a thread of its own (the
/// cooperative pool may be busy with evaluations for longer than a lease)
/// renews them every quarter of ``ResultsStore/leaseSeconds``, and
/// ``stop()`` gives up whatever claims are left.
final class SweepLease: Sendable {
  private let store: ResultsStore
  private let worker: SweepWorker
  private let stopped = NSCondition()
  private nonisolated(unsafe) var isStopped = false

  init(store: ResultsStore, worker: SweepWorker) {
    self.store = store
    self.worker = worker
    let thread = Thread { [self] in renewUntilStopped() }
    thread.name = "edgesim-sweep-lease"
    thread.start()
  }

  private func renewUntilStopped() {
    let interval = ResultsStore.leaseSeconds / 4
    stopped.lock()
    defer { stopped.unlock() }
    while !isStopped {
      if !stopped.wait(until: Date().addingTimeInterval(interval)) {
        try? store.renewClaims(of: worker)
      }
    }
  }

  /// Stops renewing and releases the worker's remaining claims (none after
  /// a complete run; those of points in flight after an error).
  func stop() {
    stopped.lock()
    isStopped = true
    stopped.signal()
    stopped.unlock()
    try? store.releaseClaims(of: worker)
  }
}
