import Dispatch

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
