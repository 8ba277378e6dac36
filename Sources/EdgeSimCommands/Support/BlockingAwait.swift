import Dispatch
import Foundation

/// Runs async work from a synchronous command and waits for it.
///
/// `edgesim`'s entry point is synchronous; the sweep's concurrency is Swift
/// concurrency. The caller's thread (the main thread, outside the
/// cooperative pool) blocks on a semaphore while the work runs on the pool.
func blockingAwait<T: Sendable>(
  _ work: @escaping @Sendable () async throws -> T
) throws -> T {
  let outcome = OutcomeBox<T>()
  let finished = DispatchSemaphore(value: 0)
  Task {
    let result: Result<T, any Error>
    do { result = .success(try await work()) } catch {
      result = .failure(error)
    }
    outcome.set(result)
    finished.signal()
  }
  finished.wait()
  guard let result = outcome.get() else { throw CancellationError() }
  return try result.get()
}

/// A result handed from the task to the waiting thread under a lock.
private final class OutcomeBox<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Result<T, any Error>?

  func set(_ result: Result<T, any Error>) { lock.withLock { value = result } }
  func get() -> Result<T, any Error>? { lock.withLock { value } }
}
