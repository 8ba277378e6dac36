/// One group of consecutive tiles on the timeline.
struct TileGroup: Hashable, Sendable {
  /// First tile.
  var firstTile: Int
  /// Tiles in the group.
  var tiles: Int
  /// Cycles of the DMA-in transfer (latency included).
  var inCycles: Double
  /// Cycles of compute.
  var computeCycles: Double
  /// Cycles of the DMA-out transfer (latency included).
  var outCycles: Double
  /// Bytes in and out, MACs (for the trace).
  var inBytes: Double
  var outBytes: Double
  var macs: Double
}

/// When each engine worked on each group.
struct TimelineResult: Hashable, Sendable {
  var inStart: [Double]
  var computeStart: [Double]
  var outStart: [Double]
  var makespan: Double
  var computeBusy: Double
  var inBusy: Double
  var outBusy: Double
}

/// The three-engine pipeline of a layer: DMA-in, compute, DMA-out.
///
/// With `buffers` slots per operand (2 when the staging level is double
/// buffered): group i's inputs may load once group i − buffers has finished
/// computing (its slot is free), compute starts when its inputs are in, the
/// previous group is done and group i − buffers's outputs have drained, and
/// the outputs drain after compute. With a shared port the DMA engines use
/// one channel in a fixed order (in 0, in 1, out 0, in 2, out 1, ...: the
/// prefetch before the drain).
///
/// Every start time is a maximum of earlier end times (a max-plus
/// recurrence, the closed form of an event queue with fixed priorities), so
/// the makespan never decreases when a duration grows: more bandwidth
/// (shorter transfers) never makes a layer slower. The makespan is at least
/// each engine's busy time, the roofline bound.
enum Timeline {
  static func run(_ groups: [TileGroup], buffers: Int, sharedChannel: Bool)
    -> TimelineResult
  {
    var scratch = TimelineScratch()
    let makespan = schedule(
      groups, buffers: buffers, sharedChannel: sharedChannel, into: &scratch)
    let count = groups.count
    return TimelineResult(
      inStart: scratch.column(0, count: count),
      computeStart: scratch.column(2, count: count),
      outStart: scratch.column(4, count: count), makespan: makespan,
      computeBusy: scratch.computeBusy, inBusy: scratch.inBusy,
      outBusy: scratch.outBusy)
  }

  /// The schedule of ``run(_:buffers:sharedChannel:)`` written into
  /// reusable storage (the tile search times many candidates per layer and
  /// keeps only the makespan of all but one).
  ///
  /// - Returns: The makespan.
  static func schedule(
    _ groups: [TileGroup], buffers: Int, sharedChannel: Bool,
    into scratch: inout TimelineScratch
  ) -> Double {
    let count = groups.count
    scratch.reserve(count)
    let stride = scratch.capacity
    var computeBusy = 0.0
    var inBusy = 0.0
    var outBusy = 0.0
    let makespan: Double = scratch.storage.withUnsafeMutableBufferPointer {
      storage in
      groups.withUnsafeBufferPointer { groups -> Double in
        guard let base = storage.baseAddress else { return 0.0 }
        let inStart = base
        let inEnd = base + stride
        let computeStart = base + 2 * stride
        let computeEnd = base + 3 * stride
        let outStart = base + 4 * stride
        let outEnd = base + 5 * stride
        let b = max(1, buffers)
        var channelFree = 0.0
        func scheduleOut(_ j: Int) {
          var start = max(computeEnd[j], j > 0 ? outEnd[j - 1] : 0)
          if sharedChannel { start = max(start, channelFree) }
          outStart[j] = start
          outEnd[j] = start + groups[j].outCycles
          if sharedChannel { channelFree = outEnd[j] }
          outBusy += groups[j].outCycles
        }
        var nextOut = 0
        for i in 0..<count {
          let group = groups[i]
          var start = i > 0 ? inEnd[i - 1] : 0
          if i >= b { start = max(start, computeEnd[i - b]) }
          if sharedChannel { start = max(start, channelFree) }
          inStart[i] = start
          inEnd[i] = start + group.inCycles
          if sharedChannel { channelFree = inEnd[i] }
          inBusy += group.inCycles
          var cStart = max(inEnd[i], i > 0 ? computeEnd[i - 1] : 0)
          if i >= b {
            // The output slot of group i − b must have drained.
            while nextOut <= i - b {
              scheduleOut(nextOut)
              nextOut += 1
            }
            cStart = max(cStart, outEnd[i - b])
          }
          computeStart[i] = cStart
          computeEnd[i] = cStart + group.computeCycles
          computeBusy += group.computeCycles
          // In the shared channel, the previous group's drain follows this prefetch.
          while nextOut < i {
            scheduleOut(nextOut)
            nextOut += 1
          }
        }
        while nextOut < count {
          scheduleOut(nextOut)
          nextOut += 1
        }
        return count > 0 ? max(outEnd[count - 1], computeEnd[count - 1]) : 0
      }
    }
    scratch.computeBusy = computeBusy
    scratch.inBusy = inBusy
    scratch.outBusy = outBusy
    return makespan
  }
}

/// Storage for ``Timeline/schedule(_:buffers:sharedChannel:into:)``, kept
/// across the candidates of a layer so that timing one allocates nothing:
/// six columns (DMA-in start and end, compute start and end, DMA-out start
/// and end) of ``capacity`` entries each.
struct TimelineScratch {
  var storage: [Double] = [0]
  var capacity = 0
  var computeBusy = 0.0
  var inBusy = 0.0
  var outBusy = 0.0

  /// Makes room for `count` groups.
  mutating func reserve(_ count: Int) {
    guard capacity < count else { return }
    capacity = count
    storage = [Double](repeating: 0, count: 6 * count)
  }

  /// The first `count` entries of a column.
  func column(_ index: Int, count: Int) -> [Double] {
    Array(storage[(index * capacity)..<(index * capacity + count)])
  }
}
