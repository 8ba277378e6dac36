import HardwareModel

extension KernelModel {
  /// What a runtime's thread pool has been doing between kernels: how long
  /// its workers have waited since the last kernel that used them.
  ///
  /// A CPU runtime splits its GEMM-based kernels (convolutions, fully
  /// connected layers) and depthwise kernels over a pool of worker threads;
  /// element-wise, pooling and Concat kernels run on the calling thread
  /// while the workers wait. A worker busy-waits for a while after its task
  /// (gemmlowp: `kMaxBusyWaitNOPs`, 4,000,000 NOPs, then
  /// `pthread_cond_wait`; `internal/multi_thread_gemm.h`) and then sleeps,
  /// and a sleeping worker on a core the scheduler has clocked down takes
  /// long to resume. The runtime's `spin_window` and `thread_wake`
  /// (``HardwareModel/RuntimeParameter``) say how long the workers spin and
  /// what waking them costs.
  public struct PoolState: Hashable, Sendable {
    /// Seconds since the last kernel that split over the pool's workers.
    public var idle: Double = 0

    /// A pool whose workers are still spinning: back-to-back inferences
    /// keep them busy (the steady state every published figure measures).
    public init() {}
  }

  /// The time of one layer's kernel under a runtime, with the wake-up of
  /// the pool's workers when they have fallen asleep.
  ///
  /// A kernel that splits over more than one unit (a dense or depthwise
  /// kernel at or above `parallel_grain`) pays `thread_wake` when the
  /// workers have idled longer than `spin_window`, and leaves them spinning
  /// again; any other kernel adds its time to their idle time. Without a
  /// declared `thread_wake` the result equals ``time(_:runtime:)``.
  ///
  /// - Parameters:
  ///   - w: The layer's kernel work.
  ///   - runtime: The runtime's figures.
  ///   - pool: The pool's state before the kernel; updated to after it.
  /// - Returns: The kernel's time, ``Time/wake`` included.
  public static func time(
    _ w: KernelWork, runtime: RuntimeModel, pool: inout PoolState
  ) -> Time {
    var result = time(w, runtime: runtime)
    let wake = runtime.threadWakeSeconds
    guard wake > 0, w.kind != .free else { return result }
    let splits = (w.kind == .dense || w.kind == .depthwise) && result.units > 1
    if splits {
      if pool.idle > runtime.spinWindowSeconds { result.wake = wake }
      pool.idle = 0
    } else {
      pool.idle += result.total
    }
    return result
  }

  /// The time of a network's kernels run in order under a runtime,
  /// seconds: the sum of ``time(_:runtime:pool:)`` from a spinning pool.
  ///
  /// - Complexity: O(n) in the number of kernels.
  public static func seconds(_ works: [KernelWork], runtime: RuntimeModel)
    -> Double
  {
    var pool = PoolState()
    var total = 0.0
    for w in works {
      total += time(w, runtime: runtime, pool: &pool).total
    }
    return total
  }
}
