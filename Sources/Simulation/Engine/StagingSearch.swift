import HardwareModel
import Mapping

/// Chooses a MAC layer's staging tiling: every feasible candidate is scored
/// with lower bounds on its latency, and only candidates whose bounds do
/// not exceed the best latency found are timed with the pipeline model
/// (branch and bound).
///
/// The objective is the timed makespan, then the backing-store bits; ties
/// go to the first candidate in (bound, bits, enumeration) order, where the
/// *ordering* bound is `max(compute, DRAM time)`. The candidate first in
/// that order is timed first, as a ceiling. A tighter *pruning* bound
/// (``pruningEstimate(_:tiling:)``) adds the pipeline's fill and drain and
/// the per-transfer DRAM latency, and ``exactBound(_:tiling:)`` settles
/// exact ties. A candidate whose bound exceeds the best makespan so far
/// cannot win, so it is skipped without building its tile groups or timing
/// it; the choice is the one exhaustive timing would make.
struct StagingSearch {
  let plan: HierarchyPlan
  /// Per level (backing store included), bits read and written that do not
  /// depend on the staging tiling (inner levels' fills, the datapath).
  let fixedReads: [[Operand: Double]]
  let fixedWrites: [[Operand: Double]]
  /// The operands each staging level holds.
  let stagedAt: [Int: Set<Operand>]
  /// The compute units' cycles for the layer.
  let computeCycles: Double
  let macs: Double
  let maximumTileGroups: Int
  /// Buffer slots per operand at the staging levels (2: double-buffered).
  let buffers: Int
  /// What DRAM coding leaves of the backing-store traffic.
  let dram: DRAMScale
  /// Raw bits of the layer's final output (the part of the writes that is
  /// coded; spilled partial sums stay raw).
  let finalOutputBits: Double

  let readBPC: Double
  let writeBPC: Double
  /// The backing store's reads and writes share one channel.
  let shared: Bool
  /// Cycles of latency per DMA transfer.
  let latency: Double

  init(
    plan: HierarchyPlan, fixedReads: [[Operand: Double]],
    fixedWrites: [[Operand: Double]],
    stagedAt: [Int: Set<Operand>], computeCycles: Double, macs: Double,
    maximumTileGroups: Int, dram: DRAMScale = .raw,
    finalOutputBits: Double = 0,
    buffers: Int
  ) {
    self.dram = dram
    self.finalOutputBits = finalOutputBits
    self.plan = plan
    self.fixedReads = fixedReads
    self.fixedWrites = fixedWrites
    self.stagedAt = stagedAt
    self.computeCycles = computeCycles
    self.macs = macs
    self.maximumTileGroups = maximumTileGroups
    self.buffers = buffers
    let device = plan.device
    readBPC = plan.bytesPerCycle(device.backingStoreIndex, write: false)
    writeBPC = plan.bytesPerCycle(device.backingStoreIndex, write: true)
    shared = device.backingStore.sharedPort
    latency = device.backingStore.latency * device.clock
  }

  /// A candidate's scores.
  struct Scored {
    /// Its position in the candidate list.
    var index: Int
    /// The ordering bound: `max(compute, DRAM time)`.
    var bound: Double
    /// Bits to and from the backing store.
    var dramBits: Double
    /// Cycles of compute, or of the busiest on-chip level when slower.
    var compute: Double
    var readBits: OperandBitsRead
    var writeBits: Double
  }

  /// Everything a candidate's tile groups depend on besides the layer's
  /// constants: equal keys give equal groups and makespans.
  private struct TimingKey: Hashable {
    var count: Int
    var periodW: Int
    var periodI: Int
    var periodO: Int
    var readW: Double
    var readI: Double
    var readO: Double
    var writeBits: Double
    var compute: Double

    init(
      count: Int, periods: (Int, Int, Int), reads: OperandBitsRead,
      writeBits: Double, compute: Double
    ) {
      self.count = count
      (periodW, periodI, periodO) = periods
      (readW, readI, readO) = (reads.weights, reads.inputs, reads.outputs)
      self.writeBits = writeBits
      self.compute = compute
    }
  }

  /// Which operands a level stages, as flags (no hashing in the hot loop).
  private struct Staged {
    var weights = false
    var inputs = false
    var outputs = false
  }

  /// The best candidate, or `nil` when there is none; `scored` is a buffer
  /// the caller keeps between searches.
  func best(
    of candidates: [PackedCandidate], scored: inout [Scored]
  ) -> Scored? {
    let levels = plan.device.memory.count
    let fromStore = (
      weights: plan.usesBackingStore(.weights),
      inputs: plan.usesBackingStore(.inputs),
      outputs: plan.usesBackingStore(.outputs)
    )
    let fixedR = fixedReads.map { $0.values.reduce(0, +) }
    let fixedW = fixedWrites.map { $0.values.reduce(0, +) }
    let staged: [Staged] = (0..<levels).map { index in
      let operands = stagedAt[index] ?? []
      return Staged(
        weights: operands.contains(.weights),
        inputs: operands.contains(.inputs),
        outputs: operands.contains(.outputs))
    }
    let rates = (0..<levels).map { plan.rates(of: $0) }
    scored.removeAll(keepingCapacity: true)
    scored.reserveCapacity(candidates.count)
    for (i, candidate) in candidates.enumerated() {
      let t = candidate.traffic
      let readBits = OperandBitsRead(
        weights: fromStore.weights ? t.weightsIn * dram.weights : nil,
        inputs: fromStore.inputs ? t.inputsIn * dram.inputs : nil,
        outputs: fromStore.outputs ? t.partialSumsIn : nil)
      let writeBits =
        fromStore.outputs
        ? t.outputsOut - (1 - dram.outputs) * min(finalOutputBits, t.outputsOut)
        : 0
      var slowest = 0.0
      for index in 1..<max(1, levels) {
        var r = fixedR[index]
        var w = fixedW[index]
        let s = staged[index]
        if s.weights { w += t.weightsIn }
        if s.inputs { w += t.inputsIn }
        if s.outputs {
          w += t.partialSumsIn
          r += t.outputsOut
        }
        slowest = max(slowest, rates[index].cycles(readBits: r, writeBits: w))
      }
      let compute = max(computeCycles, slowest)
      let totalRead = readBits.total
      let inCycles = finite(totalRead / 8 / readBPC)
      let outCycles = finite(writeBits / 8 / writeBPC)
      let dram = shared ? inCycles + outCycles : max(inCycles, outCycles)
      scored.append(
        Scored(
          index: i, bound: max(compute, dram), dramBits: totalRead + writeBits,
          compute: compute,
          readBits: readBits, writeBits: writeBits))
    }
    func precedes(_ a: Scored, _ b: Scored) -> Bool {
      a.bound != b.bound
        ? a.bound < b.bound
        : (a.dramBits != b.dramBits
          ? a.dramBits < b.dramBits : a.index < b.index)
    }
    // The winner is the least candidate in (makespan, DRAM bits, bound,
    // enumeration) order, a total order, so candidates may be visited in
    // any order. Makespans are compared on a grid of 10⁻⁶ cycle
    // (``tieGrid(_:)``): sums of the same figures in another order differ
    // in the last bits, and that noise must not pick a mapping. The first
    // candidate in (bound, bits, enumeration) order is timed first: its
    // makespan is a tight ceiling that prunes most others.
    guard var first = scored.first else { return nil }
    for s in scored.dropFirst() where precedes(s, first) { first = s }
    var groups: [TileGroup] = []
    groups.reserveCapacity(maximumTileGroups)
    var scratch = TimelineScratch()
    var timed: [TimingKey: Double] = [:]
    func key(_ s: Scored, _ tiling: PackedTiling) -> TimingKey {
      TimingKey(
        count: tiling.tileCount, periods: tiling.periods, reads: s.readBits,
        writeBits: s.writeBits, compute: s.compute)
    }
    let firstTiling = candidates[first.index].tiling
    let firstMakespan = makespan(
      first, tiling: firstTiling, groups: &groups, scratch: &scratch)
    timed[key(first, firstTiling)] = firstMakespan
    var best = (scored: first, grid: Self.tieGrid(firstMakespan))
    // Whether a candidate whose makespan ties the best's wins on the rest.
    func winsTie(_ s: Scored) -> Bool {
      s.dramBits != best.scored.dramBits
        ? s.dramBits < best.scored.dramBits : precedes(s, best.scored)
    }
    // The ordering and pruning bounds are lower bounds up to the rounding
    // of a few dozen additions; the slack is far above it.
    let slack = 1 - 1e-9
    for s in scored where s.index != first.index {
      if Self.tieGrid(s.bound * slack) > best.grid { continue }
      let tiling = candidates[s.index].tiling
      if Self.tieGrid(firstFetchBound(s, tiling: tiling) * slack) > best.grid {
        assert(
          makespan(s, tiling: tiling, groups: &groups, scratch: &scratch)
            >= firstFetchBound(s, tiling: tiling) * slack,
          "the first-fetch bound exceeds the makespan")
        continue
      }
      let estimate = pruningEstimate(s, tiling: tiling)
      if Self.tieGrid(estimate * slack) > best.grid {
        assert(
          makespan(s, tiling: tiling, groups: &groups, scratch: &scratch)
            >= estimate * slack,
          "the pruning bound exceeds the makespan")
        continue
      }
      // No slack needed: the exact bound is never above the makespan.
      let exact = Self.tieGrid(exactBound(s, tiling: tiling))
      if exact > best.grid || (exact == best.grid && !winsTie(s)) {
        continue
      }
      // Candidates with equal timing inputs (tile count, fetch periods,
      // bits and compute) have equal groups, hence equal makespans.
      let k = key(s, tiling)
      let makespan: Double
      if let known = timed[k] {
        makespan = known
      } else {
        makespan = self.makespan(
          s, tiling: tiling, groups: &groups, scratch: &scratch)
        timed[k] = makespan
      }
      let grid = Self.tieGrid(makespan)
      if grid < best.grid || (grid == best.grid && winsTie(s)) {
        best = (s, grid)
      }
    }
    return best.scored
  }

  /// A makespan on the grid that candidates are compared on.
  ///
  /// The grid is whole multiples of 10⁻⁶ cycle. The map is monotone, so a
  /// lower bound's grid value is a lower bound of the makespan's.
  static func tieGrid(_ cycles: Double) -> Double {
    (cycles * 1e6).rounded()
  }

  /// Every level's cycles for a staging traffic (the backing store's entry
  /// is 0), as the scores use them.
  func levelCycles(of t: LevelTraffic) -> [Double] {
    let levels = plan.device.memory.count
    var cycles = [Double](repeating: 0, count: levels)
    for index in 1..<max(1, levels) {
      var r = fixedReads[index].values.reduce(0, +)
      var w = fixedWrites[index].values.reduce(0, +)
      let operands = stagedAt[index] ?? []
      if operands.contains(.weights) { w += t.weightsIn }
      if operands.contains(.inputs) { w += t.inputsIn }
      if operands.contains(.outputs) {
        w += t.partialSumsIn
        r += t.outputsOut
      }
      cycles[index] = plan.levelCycles(index, readBits: r, writeBits: w)
    }
    return cycles
  }

  /// The tile groups of the chosen tiling.
  func groups(tiling: Tiling, scored s: Scored) -> [TileGroup] {
    var groups: [TileGroup] = []
    appendGroups(
      into: &groups, count: max(1, tiling.tileCount),
      periods: (
        tiling.period(of: .weights), tiling.period(of: .inputs),
        tiling.period(of: .outputs)
      ),
      scored: s)
    return groups
  }

  /// Times a candidate, reusing `groups` and `scratch`.
  private func makespan(
    _ s: Scored, tiling: PackedTiling, groups: inout [TileGroup],
    scratch: inout TimelineScratch
  ) -> Double {
    groups.removeAll(keepingCapacity: true)
    appendGroups(
      into: &groups, count: max(1, tiling.tileCount),
      periods: tiling.periods, scored: s)
    return Timeline.schedule(
      groups, buffers: buffers, sharedChannel: shared, into: &scratch)
  }

  /// Splits `count` tiles into at most ``maximumTileGroups`` consecutive
  /// groups (``groupBoundaries(count:limit:)``) and gives each its share of
  /// the fetches, drains, compute and MACs.
  ///
  /// Each group is exactly ``group(_:_:count:periods:scored:)``, computed
  /// with fewer divisions: events are counted from the next pending one,
  /// a single event's bits (`r / events`) are divided once, and equal
  /// groups reuse the previous group's cycles. Every figure is the same
  /// floating-point expression, so the groups are bit-identical.
  private func appendGroups(
    into groups: inout [TileGroup], count: Int, periods: (Int, Int, Int),
    scored s: Scored
  ) {
    let total = max(1, min(count, maximumTileGroups))
    let (periodW, periodI, periodO) = (
      max(1, periods.0), max(1, periods.1), max(1, periods.2)
    )
    let eventsW = Double(max(1, count / periods.0))
    let eventsI = Double(max(1, count / periods.1))
    let eventsO = Double(max(1, count / periods.2))
    let r = s.readBits
    // Bits of one event: `Double(1) * r / events`.
    let oneW = r.weights / eventsW
    let oneI = r.inputs / eventsI
    let oneO = r.outputs / eventsO
    let oneDrain = s.writeBits / eventsO
    // The next tile that fetches (multiples of the period) or drains
    // (one before a multiple).
    var nextW = 0
    var nextI = 0
    var nextO = 0
    var nextDrain = periodO - 1
    func events(_ next: inout Int, period: Int, before b: Int) -> Int {
      guard next < b else { return 0 }
      if b - next <= period {
        next += period
        return 1
      }
      let n = (b - 1 - next) / period + 1
      next += n * period
      return n
    }
    var last = (
      inBits: -1.0, inCycles: 0.0, outBits: -1.0, outCycles: 0.0, size: 0,
      share: 0.0
    )
    var a = 0
    for j in 1...total {
      let b = boundary(j, of: total, count: count, after: a)
      defer { a = b }
      guard b > a else { continue }
      var inBits = 0.0
      let fw = events(&nextW, period: periodW, before: b)
      if fw == 1 {
        inBits += oneW
      } else if fw > 1 {
        inBits += Double(fw) * r.weights / eventsW
      }
      let fi = events(&nextI, period: periodI, before: b)
      if fi == 1 {
        inBits += oneI
      } else if fi > 1 {
        inBits += Double(fi) * r.inputs / eventsI
      }
      let fo = events(&nextO, period: periodO, before: b)
      if fo == 1 {
        inBits += oneO
      } else if fo > 1 {
        inBits += Double(fo) * r.outputs / eventsO
      }
      let d = events(&nextDrain, period: periodO, before: b)
      let outBits =
        d == 1 ? oneDrain : (d > 1 ? Double(d) * s.writeBits / eventsO : 0)
      if b - a != last.size {
        last.size = b - a
        last.share = Double(b - a) / Double(count)
      }
      if inBits != last.inBits {
        last.inBits = inBits
        last.inCycles = inBits > 0 ? latency + finite(inBits / 8 / readBPC) : 0
      }
      if outBits != last.outBits {
        last.outBits = outBits
        last.outCycles =
          outBits > 0 ? latency + finite(outBits / 8 / writeBPC) : 0
      }
      groups.append(
        TileGroup(
          firstTile: a, tiles: b - a, inCycles: last.inCycles,
          computeCycles: s.compute * last.share,
          outCycles: last.outCycles, inBytes: inBits / 8, outBytes: outBits / 8,
          macs: macs * last.share))
    }
  }

  /// Boundary `j` of ``groupBoundaries(count:limit:)`` with `groups` groups.
  @inline(__always)
  private func boundary(
    _ j: Int, of groups: Int, count: Int, after previous: Int
  ) -> Int {
    let boundary = Int(
      (Double(count) * Double(j) / Double(groups)).rounded(.down))
    return max(previous, min(count, boundary))
  }

  /// The tiles `[a, b)` as one group: the fetch events of each operand in
  /// it (every `period` tiles from tile 0), its drains, and its share of the
  /// compute.
  @inline(__always)
  private func group(
    _ a: Int, _ b: Int, count: Int, periods: (Int, Int, Int), scored s: Scored
  ) -> TileGroup {
    let (periodW, periodI, periodO) = periods
    let eventsW = Double(max(1, count / periodW))
    let eventsI = Double(max(1, count / periodI))
    let eventsO = Double(max(1, count / periodO))
    var inBits = 0.0
    inBits +=
      Double(fetches(a, b, period: periodW)) * s.readBits.weights / eventsW
    inBits +=
      Double(fetches(a, b, period: periodI)) * s.readBits.inputs / eventsI
    inBits +=
      Double(fetches(a, b, period: periodO)) * s.readBits.outputs / eventsO
    let outBits = Double(drains(a, b, period: periodO)) * s.writeBits / eventsO
    let share = Double(b - a) / Double(count)
    let inCycles = inBits > 0 ? latency + finite(inBits / 8 / readBPC) : 0
    let outCycles = outBits > 0 ? latency + finite(outBits / 8 / writeBPC) : 0
    return TileGroup(
      firstTile: a, tiles: b - a, inCycles: inCycles,
      computeCycles: s.compute * share,
      outCycles: outCycles, inBytes: inBits / 8, outBytes: outBits / 8,
      macs: macs * share)
  }

  /// A lower bound on a candidate's makespan, up to rounding, cheaper than
  /// ``pruningEstimate(_:tiling:)``: the first group's fetch, then all the
  /// compute (the estimate's first chain without the last drain).
  ///
  /// The fetch is the first group's, computed as ``group(_:_:count:periods:scored:)``
  /// computes it, with a third of the estimate's divisions; it settles
  /// most candidates of a compute-bound layer, whose ordering bounds all
  /// equal the compute (NASNet-large on `pixel3-cpu`: 176,000 of 230,000
  /// candidates passed the ordering bound).
  func firstFetchBound(_ s: Scored, tiling: PackedTiling) -> Double {
    let count = max(1, tiling.tileCount)
    let (periodW, periodI, periodO) = tiling.periods
    let total = max(1, min(count, maximumTileGroups))
    let firstEnd = boundary(1, of: total, count: count, after: 0)
    let r = s.readBits
    var inBits = 0.0
    inBits +=
      Double(fetches(0, firstEnd, period: periodW)) * r.weights
      / Double(max(1, count / periodW))
    inBits +=
      Double(fetches(0, firstEnd, period: periodI)) * r.inputs
      / Double(max(1, count / periodI))
    inBits +=
      Double(fetches(0, firstEnd, period: periodO)) * r.outputs
      / Double(max(1, count / periodO))
    let first = inBits > 0 ? latency + finite(inBits / 8 / readBPC) : 0
    return first + s.compute
  }

  /// A lower bound on a candidate's makespan, up to rounding (compare it
  /// with a relative slack), from its first and last tile groups and its
  /// totals rather than building and timing every group.
  ///
  /// Every engine is serial and each group's compute waits
  /// for its inputs, its drain for its compute (``Timeline``), so the
  /// makespan is at least
  /// - the first group's fetch, all compute, the last group's drain;
  /// - all fetches, the last group's compute and drain;
  /// - the first group's fetch and compute, then all drains (separate
  ///   channels), or all fetches and drains (one shared channel).
  ///
  /// With one buffer slot a group's fetch waits for the previous group's
  /// compute and its compute for the previous drain, so nothing overlaps
  /// compute: all fetches plus all compute plus the last drain, and the
  /// first fetch plus all compute plus all drains.
  ///
  /// "All fetches" is the DRAM time plus one latency per group that fetches
  /// something. An operand fetched every `p` tiles has `count / p` fetches,
  /// and a group of at most `s` tiles holds at most `⌈s / p⌉` of them, so
  /// at least `⌈(count / p) / ⌈s / p⌉⌉` groups fetch; likewise for drains.
  func pruningEstimate(_ s: Scored, tiling: PackedTiling) -> Double {
    let count = max(1, tiling.tileCount)
    let periods = tiling.periods
    let total = max(1, min(count, maximumTileGroups))
    let firstEnd = boundary(1, of: total, count: count, after: 0)
    let lastStart =
      total > 1 ? boundary(total - 1, of: total, count: count, after: 0) : 0
    let first = group(0, firstEnd, count: count, periods: periods, scored: s)
    let last = group(
      lastStart, count, count: count, periods: periods, scored: s)
    let largestGroup = (count + total - 1) / total
    func groupsWithEvents(period: Int) -> Int {
      let p = max(1, period)
      let events = max(1, count / p)
      let perGroup = (largestGroup + p - 1) / p
      return min(total, (events + perGroup - 1) / perGroup)
    }
    var fetchingGroups = 0
    if s.readBits.weights > 0 {
      fetchingGroups = max(fetchingGroups, groupsWithEvents(period: periods.0))
    }
    if s.readBits.inputs > 0 {
      fetchingGroups = max(fetchingGroups, groupsWithEvents(period: periods.1))
    }
    if s.readBits.outputs > 0 {
      fetchingGroups = max(fetchingGroups, groupsWithEvents(period: periods.2))
    }
    let drainingGroups =
      s.writeBits > 0 ? groupsWithEvents(period: periods.2) : 0
    let readCycles = finite(s.readBits.total / 8 / readBPC)
    let writeCycles = finite(s.writeBits / 8 / writeBPC)
    let fetching = Double(fetchingGroups) * latency + readCycles
    let draining = Double(drainingGroups) * latency + writeCycles
    var bound = first.inCycles + s.compute + last.outCycles
    bound = max(bound, fetching + last.computeCycles + last.outCycles)
    if shared {
      bound = max(bound, fetching + draining)
    } else {
      bound = max(bound, first.inCycles + first.computeCycles + draining)
    }
    if buffers == 1 {
      bound = max(bound, fetching + s.compute + last.outCycles)
      bound = max(bound, first.inCycles + s.compute + draining)
    }
    return bound
  }

  /// A lower bound on a candidate's makespan that needs no slack.
  ///
  /// It is the first chain of ``pruningEstimate(_:tiling:)`` (first fetch,
  /// all compute, last drain) evaluated with the timeline's own
  /// floating-point additions in the timeline's order: rounding to nearest
  /// is monotone, so it is never above the computed makespan, and equals it
  /// whenever the compute chain is the critical path. It lets exact ties be
  /// skipped.
  func exactBound(_ s: Scored, tiling: PackedTiling) -> Double {
    let count = max(1, tiling.tileCount)
    let periods = tiling.periods
    let total = max(1, min(count, maximumTileGroups))
    let firstEnd = boundary(1, of: total, count: count, after: 0)
    let lastStart =
      total > 1 ? boundary(total - 1, of: total, count: count, after: 0) : 0
    let first = group(0, firstEnd, count: count, periods: periods, scored: s)
    let last = group(
      lastStart, count, count: count, periods: periods, scored: s)
    // inEnd[0] = 0 + fetch; computeEnd[i] = start + compute_i with start at
    // least computeEnd[i − 1]; outEnd[last] = start + drain with start at
    // least computeEnd[last].
    var chain = first.inCycles
    if count % total == 0 {
      let share = Double(count / total) / Double(count)
      let compute = s.compute * share
      for _ in 0..<total { chain += compute }
    } else {
      var a = 0
      for j in 1...total {
        let b = boundary(j, of: total, count: count, after: a)
        if b > a { chain += s.compute * (Double(b - a) / Double(count)) }
        a = b
      }
    }
    return max(chain, chain + last.outCycles)
  }
}

extension PackedTiling {
  /// The fetch periods of weights, inputs and outputs.
  var periods: (Int, Int, Int) {
    (period(of: .weights), period(of: .inputs), period(of: .outputs))
  }
}

/// What a level's instances cost their parent once multicast and spatial
/// reduction share the values (``MACLayerEvaluator/parentSide(of:level:device:unrolling:nest:)``),
/// with the sharing factors worked out once per level rather than per
/// candidate.
struct ParentSharing {
  /// Whether values are shared at all (an array with several instances).
  let shares: Bool
  let weights: Double
  let inputs: Double
  let outputs: Double

  init(
    level: MemoryLevel, device: Device, unrolling: SpatialUnrolling,
    nest: LoopNest
  ) {
    guard case .array = device.compute.organisation, level.instances > 1 else {
      shares = false
      weights = 1
      inputs = 1
      outputs = 1
      return
    }
    shares = true
    weights = unrolling.multicast(of: .weights, nest: nest)
    inputs = unrolling.multicast(of: .inputs, nest: nest)
    outputs = unrolling.multicast(of: .outputs, nest: nest)
  }

  /// The traffic the parent sees.
  func apply(to traffic: LevelTraffic) -> LevelTraffic {
    guard shares else { return traffic }
    return LevelTraffic(
      weightsIn: traffic.weightsIn / weights,
      inputsIn: traffic.inputsIn / inputs,
      partialSumsIn: traffic.partialSumsIn / outputs,
      outputsOut: traffic.outputsOut / outputs)
  }
}
