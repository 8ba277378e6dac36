import Dispatch
import NetworkGraph

/// Runs independent pieces of work on every core and gathers the results
/// in order.
///
/// Each piece writes only its own slot, so no result is shared between
/// threads; the order of the results never depends on scheduling.
enum Parallel {
  /// The number of pieces a batch of `count` samples is split into.
  static func chunkCount(for count: Int, limit: Int) -> Int {
    max(1, min(count, limit))
  }

  /// `body(i)` for i in 0..<count, concurrently; results in index order.
  static func map<T: Sendable>(
    _ count: Int, _ body: @Sendable (Int) -> T
  ) -> [T] {
    guard count > 1 else { return count == 1 ? [body(0)] : [] }
    let slots = Slots<T>(count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
      slots.set(index, body(index))
    }
    return slots.values()
  }

  /// `body(range)` for contiguous ranges covering 0..<count, at most
  /// `concurrency` at once (one range when the work is small); results in
  /// range order.
  ///
  /// Kernels use it to split a batch: each range writes only its own part
  /// of the output, so results never depend on the split.
  static func slices<T: Sendable>(
    _ count: Int, concurrency: Int, minimumPerSlice: Int = 1,
    _ body: @Sendable (Range<Int>) -> T
  ) -> [T] {
    let chunks = min(concurrency, max(1, count / max(1, minimumPerSlice)))
    let parts = ranges(count, chunks: chunks)
    return map(parts.count) { body(parts[$0]) }
  }

  /// The most samples an outputs-only run (fixed point or float) takes through the whole
  /// network
  /// at a time: few enough that a small network's tensors stay in the cores'
  /// caches, enough that per-node overhead is amortized (on the digits
  /// models, 8 was slower than 16, and 32 or 64 about 5 % faster than 16).
  static let samplesPerChunk = 32

  /// The most bytes a chunk's largest tensor should take.
  ///
  /// Large samples (224 × 224 images) get fewer samples per chunk than
  /// ``samplesPerChunk``, down to 1: the tensors of a chunk then stay
  /// blocks the heap reuses (below the process's `mmap` threshold,
  /// `MemoryPolicy`) instead of fresh pages faulted in for every node.
  static let chunkBytes = 4 << 20

  /// The samples per chunk for a network whose largest tensor holds
  /// `sampleElements` elements of `bytes` bytes per sample (0: unknown).
  static func samplesPerChunk(sampleElements: Int, bytes: Int) -> Int {
    guard sampleElements > 0 else { return samplesPerChunk }
    return max(
      1, min(samplesPerChunk, chunkBytes / (sampleElements * max(1, bytes))))
  }

  /// The most elements one sample puts in any node output of `network`, or
  /// 0 when its shapes cannot be inferred for one sample.
  static func largestSampleElements(_ network: Network) -> Int {
    guard let shapes = try? network.bindingBatch(1).inferShapes() else {
      return 0
    }
    return network.nodes.flatMap(\.outputs).compactMap {
      shapes.shape(of: $0)?.elementCount
    }.max() ?? 0
  }

  /// Consecutive chunks of near-equal size covering `count` samples, at
  /// most `perChunk` each, their number a multiple of the cores (so that no
  /// core is left with the last chunk alone).
  static func sampleChunks(
    _ count: Int, cores: Int, perChunk: Int = samplesPerChunk
  ) -> [Range<Int>] {
    let cores = max(1, cores)
    let perChunk = max(1, perChunk)
    let least = (count + perChunk - 1) / perChunk
    let balanced = (least + cores - 1) / cores * cores
    return Parallel.ranges(count, chunks: min(count, balanced))
  }

  /// Splits 0..<count into `chunks` contiguous ranges of near-equal size.
  static func ranges(_ count: Int, chunks: Int) -> [Range<Int>] {
    let chunks = max(1, min(chunks, count))
    var result: [Range<Int>] = []
    var start = 0
    for index in 0..<chunks {
      let size = count / chunks + (index < count % chunks ? 1 : 0)
      result.append(start..<(start + size))
      start += size
    }
    return result
  }
}

extension Array {
  /// An array of `count` elements that `fill` initializes completely,
  /// handed a raw pointer (not zero-filled first; `fill` must write every
  /// element).
  static func filled(
    _ count: Int, _ fill: (UnsafeMutablePointer<Element>) -> Void
  ) -> [Element] {
    [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
      if count > 0, let base = buffer.baseAddress { fill(base) }
      initialized = count
    }
  }
}

extension Array where Element: BitwiseCopyable {
  /// `count` elements of scratch, not zero-filled: for buffers whose every
  /// element is written before it is read.
  static func uninitialized(_ count: Int) -> [Element] {
    [Element](unsafeUninitializedCapacity: count) { _, initialized in
      initialized = count
    }
  }
}

extension Array {
  /// With `keep`, an array of `count` elements that `fill` initializes
  /// completely (handed its storage); otherwise an empty array, `fill` being
  /// handed `nil` (and run all the same).
  static func filledIf(
    _ keep: Bool, _ count: Int, _ fill: (UnsafeMutablePointer<Element>?) -> Void
  ) -> [Element] {
    guard keep else {
      fill(nil)
      return []
    }
    return filled(count) { fill($0) }
  }
}

/// A buffer that concurrent pieces of work write in disjoint parts.
///
/// The owner keeps the array alive (and does not touch it) until every
/// piece has finished; each piece writes only the elements it was given.
struct SharedBuffer<Element>: @unchecked Sendable {
  let base: UnsafeMutablePointer<Element>

  init(_ base: UnsafeMutablePointer<Element>) { self.base = base }
}

/// Write-once slots, one per concurrent piece of work.
private final class Slots<T>: @unchecked Sendable {
  private let storage: UnsafeMutablePointer<T?>
  private let count: Int

  init(_ count: Int) {
    self.count = count
    storage = UnsafeMutablePointer<T?>.allocate(capacity: count)
    storage.initialize(repeating: nil, count: count)
  }

  deinit {
    storage.deinitialize(count: count)
    storage.deallocate()
  }

  /// Each index is written by exactly one piece of work.
  func set(_ index: Int, _ value: T) { storage[index] = value }

  func values() -> [T] {
    (0..<count).compactMap { storage[$0] }
  }
}
