import FixedPointArithmetic
import NetworkGraph
import PrecisionModel
import Synchronization

/// Outputs-only runs of one batch under many precisions of one network,
/// each resumed from the live tensors (``FixedPointState``) an earlier run
/// left before the first node whose precision it changes.
///
/// Design points that differ only in the formats of layer k and later share
/// the network's values before k, bit for bit; a run looks up the cached
/// state with the furthest position whose precision agrees with its own on
/// every node before it, and runs only the rest. The cache holds at most
/// ``budget`` bytes of states, dropping the least recently used; a state
/// larger than the budget is not kept (the prefix is recomputed). The
/// outputs equal ``FixedPointExecutor/run(input:retaining:firstSample:)``'s
/// with ``FixedPointRetention/outputs`` bit for bit.
///
/// Safe to use from many tasks at once.
///
/// ```swift
/// let cache = PrefixCache(input: images, budget: 1 << 30)
/// let outputs = try cache.outputs(of: executor, keepingStateAt: 12)
/// ```
public final class PrefixCache: Sendable {
  /// The batch every run takes.
  public let input: FloatTensor
  /// The most bytes of cached states.
  public let budget: Int
  private let store = Mutex<Store>(Store())

  struct Entry {
    var precision: ResolvedPrecision
    var position: Int
    var ranges: [Range<Int>]
    var chunks: [FixedPointState]
    var bytes: Int
    var lastUse: Int
  }

  struct Store {
    var entries: [Entry] = []
    var bytes = 0
    var clock = 0
    var hits = 0
    var misses = 0
  }

  /// Creates an empty cache for one batch.
  ///
  /// - Parameters:
  ///   - input: The batch `[N, …]` fed to the network's first input.
  ///   - budget: The most bytes of states kept (0 keeps none).
  public init(input: FloatTensor, budget: Int) {
    self.input = input
    self.budget = max(0, budget)
  }

  /// Runs that resumed from a cached state, and runs that started from the
  /// input.
  public var counts: (hits: Int, misses: Int) {
    store.withLock { ($0.hits, $0.misses) }
  }

  /// The graph outputs of `executor` on the batch, resuming from the
  /// furthest cached state it agrees with.
  ///
  /// - Parameters:
  ///   - executor: The executor of the point.
  ///   - keep: The position before which to keep this run's state (the
  ///     first node where the point departs from the precision its sweep
  ///     varies around); `nil` keeps nothing.
  /// - Returns: The outputs, in order.
  /// - Throws: The error a whole run of `executor` reports.
  public func outputs(
    of executor: FixedPointExecutor, keepingStateAt keep: Int?
  )
    throws(ExecutionError) -> [TensorValue]
  {
    let ranges = chunkRanges(executor)
    let start = budget > 0 ? lookup(executor, ranges: ranges) : nil
    let resumeAt = start?.position ?? 0
    let keepAt = keep.flatMap { $0 > resumeAt && budget > 0 ? $0 : nil }
    var single = executor
    if ranges.count > 1 { single.concurrency = 1 }
    let runner = single
    let input = self.input
    let pieces = Parallel.map(ranges.count) {
      index -> (state: FixedPointState?, outputs: [TensorValue])? in
      let range = ranges[index]
      do throws(ExecutionError) {
        var state: FixedPointState
        if let start {
          state = start.chunks[index]
        } else {
          state = try runner.start(
            input: ranges.count > 1 ? input.samples(range) : input,
            firstSample: range.lowerBound)
        }
        var kept: FixedPointState?
        if let keepAt {
          try runner.advance(&state, to: keepAt, fusing: true)
          kept = state
        }
        let outputs = try runner.finish(state)
        guard
          ranges.count == 1
            || outputs.allSatisfy({ $0.shape.first == range.count })
        else { return nil }
        return (kept, outputs)
      } catch {
        return nil
      }
    }
    var complete: [(state: FixedPointState?, outputs: [TensorValue])] = []
    for piece in pieces {
      guard let piece else {
        // Report the error with indices in the whole batch.
        return try executor.run(input: input, retaining: .outputs).outputs
      }
      complete.append(piece)
    }
    let joined =
      complete.count == 1
      ? complete[0].outputs
      : TensorValue.joiningChunks(complete.map(\.outputs))
    guard let joined else {
      return try executor.run(input: input, retaining: .outputs).outputs
    }
    if let keepAt {
      let states = complete.compactMap(\.state)
      if states.count == complete.count {
        insert(
          Entry(
            precision: executor.precision, position: keepAt, ranges: ranges,
            chunks: states,
            bytes: states.reduce(0) { $0 + $1.bytes }, lastUse: 0))
      }
    }
    return joined
  }

  /// The chunks of the batch a run takes: those of an outputs-only run
  /// when the network's samples are independent, else the whole batch.
  func chunkRanges(_ executor: FixedPointExecutor) -> [Range<Int>] {
    let count = input.shape.first ?? 0
    guard count > executor.samplesPerChunk,
      SampleIndependence.holds(for: executor.network)
    else { return [0..<count] }
    return Parallel.sampleChunks(
      count, cores: executor.concurrency, perChunk: executor.samplesPerChunk)
  }

  /// The cached entry with the furthest position that `executor` agrees
  /// with on every node before it.
  func lookup(_ executor: FixedPointExecutor, ranges: [Range<Int>]) -> Entry? {
    store.withLock { store in
      var best: Int?
      for (index, entry) in store.entries.enumerated()
      where entry.ranges == ranges
        && executor.firstDifference(from: entry.precision) >= entry.position
        && entry.position > (best.map { store.entries[$0].position } ?? 0)
      {
        best = index
      }
      guard let best else {
        store.misses += 1
        return nil
      }
      store.hits += 1
      store.clock += 1
      store.entries[best].lastUse = store.clock
      return store.entries[best]
    }
  }

  /// Keeps an entry if it fits the budget, dropping the least recently
  /// used ones to make room.
  func insert(_ entry: Entry) {
    guard entry.bytes <= budget else { return }
    store.withLock { store in
      if store.entries.contains(where: {
        $0.position == entry.position && $0.precision == entry.precision
      }) {
        return
      }
      while store.bytes + entry.bytes > budget,
        let oldest = store.entries.indices.min(by: {
          store.entries[$0].lastUse < store.entries[$1].lastUse
        })
      {
        store.bytes -= store.entries[oldest].bytes
        store.entries.remove(at: oldest)
      }
      var entry = entry
      store.clock += 1
      entry.lastUse = store.clock
      store.bytes += entry.bytes
      store.entries.append(entry)
    }
  }
}
