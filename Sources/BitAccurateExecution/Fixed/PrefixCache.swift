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
/// States wait packed (``PackedState``: each tensor's integers at the
/// narrowest width that holds them, an eighth of the executor's `Int64`
/// raws at 8 bits), and the budget counts their packed bytes.
///
/// A run given the ``SuffixReference`` of the plan it departs from stops a
/// chunk as soon as its live tensors are the reference run's at the same
/// boundary;
/// ``convergence`` tallies how often that happens, by the position where
/// runs departed.
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
    var chunks: [PackedState]
    var bytes: Int
    var lastUse: Int
  }

  struct Store {
    var entries: [Entry] = []
    var bytes = 0
    var clock = 0
    var hits = 0
    var misses = 0
    var tallies: [Int: ConvergenceTally] = [:]
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

  /// Runs whose chunks stopped early because their live tensors met the
  /// reference run's, by the position where the runs departed from the
  /// reference plan.
  public var convergence: [Int: ConvergenceTally] {
    store.withLock { $0.tallies }
  }

  /// The graph outputs of `executor` on the batch, resuming from the
  /// furthest cached state it agrees with.
  ///
  /// - Parameters:
  ///   - executor: The executor of the point.
  ///   - keep: The position before which to keep this run's state (the
  ///     first node where the point departs from the precision its sweep
  ///     varies around); `nil` keeps nothing.
  ///   - reference: The run of the plan the point departs from, whose
  ///     outputs a chunk takes once its live tensors meet it; `nil` runs
  ///     every chunk to the end.
  /// - Returns: The outputs, in order.
  /// - Throws: The error a whole run of `executor` reports.
  public func outputs(
    of executor: FixedPointExecutor, keepingStateAt keep: Int?,
    convergingTo reference: SuffixReference? = nil
  )
    throws(ExecutionError) -> [TensorValue]
  {
    let ranges = chunkRanges(executor)
    let start = budget > 0 ? lookup(executor, ranges: ranges) : nil
    let resumeAt = start?.position ?? 0
    let keepAt = keep.flatMap { $0 > resumeAt && budget > 0 ? $0 : nil }
    let count = executor.prepared.count
    // Convergence: where the point departs from the reference plan, and
    // the first boundary after which both run the same nodes.
    let converging = reference.flatMap { reference -> SuffixReference? in
      reference.ranges == ranges ? reference : nil
    }
    let departure =
      converging.map { executor.firstDifference(from: $0.executor) } ?? count
    let from =
      converging.map { executor.convergence(from: $0.executor) } ?? count
    var single = executor
    if ranges.count > 1 { single.concurrency = 1 }
    let runner = single
    let input = self.input
    let pieces = Parallel.map(ranges.count) {
      index -> (state: PackedState?, outputs: [TensorValue], met: Int?)? in
      let range = ranges[index]
      do throws(ExecutionError) {
        var state: FixedPointState
        if let start {
          state = start.chunks[index].unpacked
        } else {
          state = try runner.start(
            input: ranges.count > 1 ? input.samples(range) : input,
            firstSample: range.lowerBound)
        }
        var kept: PackedState?
        if let keepAt {
          try runner.advance(&state, to: keepAt, fusing: true)
          kept = PackedState(state)
        }
        if let converging, from < count,
          let met = try converging.converge(
            runner, state: &state, from: from, departure: departure,
            chunk: index)
        {
          return (kept, met.outputs, met.at)
        }
        let outputs = try runner.finish(state)
        guard
          ranges.count == 1
            || outputs.allSatisfy({ $0.shape.first == range.count })
        else { return nil }
        return (kept, outputs, nil)
      } catch {
        return nil
      }
    }
    var complete: [(state: PackedState?, outputs: [TensorValue], met: Int?)] =
      []
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
    if converging != nil, from < count {
      let met = complete.compactMap(\.met)
      store.withLock { store in
        var tally = store.tallies[departure] ?? ConvergenceTally()
        tally.chunks += complete.count
        tally.converged += met.count
        tally.suffixNodes += complete.count * (count - departure)
        tally.skippedNodes += met.reduce(0) { $0 + count - $1 }
        store.tallies[departure] = tally
      }
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
  public func chunkRanges(_ executor: FixedPointExecutor) -> [Range<Int>] {
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

/// How often the chunks of runs that departed from a reference plan at one
/// position met the reference run before the end of the network.
public struct ConvergenceTally: Hashable, Sendable {
  /// Chunks run (each run counts each of its chunks).
  public var chunks = 0
  /// Chunks that met the reference run and took its outputs.
  public var converged = 0
  /// Nodes from the departure to the end, summed over the chunks.
  public var suffixNodes = 0
  /// Nodes the met chunks did not run, summed.
  public var skippedNodes = 0

  /// An empty tally.
  public init() {}
}
