import HardwareModel
import Mapping

/// Maps a MAC layer: inner-level tilings, the staging tiling chosen by its
/// timeline, and the traffic at every level.
struct MACLayerEvaluator {
  let plan: HierarchyPlan
  let options: SimulationOptions

  var device: Device { plan.device }

  func evaluate(_ context: LayerContext, nest: LoopNest) -> Result<LayerEvaluation, SimulationFailure> {
    let layer = context.layer
    let bits = context.bits
    let levels = device.memory.count
    let estimate = ComputeModel.estimate(
      nest: nest, device: device, rate: context.rate, efficiency: context.efficiency,
      depthwise: layer.operatorClass == .depthwise)
    let macs = Double(nest.macs ?? Int.max)
    let resident = context.resident

    // Inner levels: least-traffic tilings per instance, independent of the
    // staging choice.
    var fixedReads = [[Operand: Double]](repeating: [:], count: levels)
    var fixedWrites = [[Operand: Double]](repeating: [:], count: levels)
    var innerTraffic: [Int: LevelTraffic] = [:]
    var parentTraffic: [Int: LevelTraffic] = [:]
    for index in device.memory.indices where !device.memory[index].kind.isOffChip {
      guard Operand.allCases.contains(where: { plan.innerLevels(of: $0).contains(index) }) else {
        continue
      }
      let (sub, used) = nest.perInstance(device.memory[index].instances, unrolling: estimate.unrolling)
      // Ranked by what the parent sees (after multicast and spatial
      // reduction), where the inner choice costs bandwidth.
      let level = device.memory[index]
      let candidate = TileSearch.leastTraffic(
        nest: sub, bits: bits, budgets: [plan.instanceBudget(level: index)],
        slidingWindow: level.kind == .registers,
        cost: {
          Self.parentSide(of: $0, level: level, device: device, unrolling: estimate.unrolling, nest: nest)
            .totalBits
        })
      let traffic = (candidate?.traffic
        ?? Tiling(nest: sub, tile: TileShape(), order: []).traffic(nest: sub, bits: bits))
      innerTraffic[index] = traffic.scaled(by: Double(used))
      parentTraffic[index] = Self.parentSide(
        of: traffic.scaled(by: Double(used)), level: device.memory[index], device: device,
        unrolling: estimate.unrolling, nest: nest)
    }
    for operand in Operand.allCases {
      guard let chain = plan.chain[operand], let staging = plan.staging[operand] else { continue }
      let onChip = chain.filter { $0 >= staging }
      for (position, index) in onChip.enumerated() {
        let child = position + 1 < onChip.count ? onChip[position + 1] : nil
        // Fills of an inner level come from this one.
        if let child, let t = parentTraffic[child] {
          switch operand {
          case .weights: fixedReads[index][.weights, default: 0] += t.weightsIn
          case .inputs: fixedReads[index][.inputs, default: 0] += t.inputsIn
          case .outputs:
            fixedReads[index][.outputs, default: 0] += t.partialSumsIn
            fixedWrites[index][.outputs, default: 0] += t.outputsOut
          }
        }
        if let t = innerTraffic[index], index != staging {
          switch operand {
          case .weights: fixedWrites[index][.weights, default: 0] += t.weightsIn
          case .inputs: fixedWrites[index][.inputs, default: 0] += t.inputsIn
          case .outputs:
            fixedWrites[index][.outputs, default: 0] += t.partialSumsIn
            fixedReads[index][.outputs, default: 0] += t.outputsOut
          }
        }
        if child == nil {
          // The datapath's own accesses.
          let level = device.memory[index]
          let perPE = level.kind == .registers && level.instances > 1 && !estimate.exactArrayAccesses
          let width = operand == .outputs ? bits.partialSumBits : bits[operand]
          let reads = perPE ? (operand == .outputs ? macs : macs) : (estimate.reads[operand] ?? 0)
          let writes = perPE ? (operand == .outputs ? macs : 0) : (estimate.writes[operand] ?? 0)
          fixedReads[index][operand, default: 0] += reads * Double(width)
          fixedWrites[index][operand, default: 0] += writes * Double(width)
        }
      }
    }

    // Staging: every feasible tiling, ranked by a lower bound, timed in order.
    var budgets: [TileBudget] = []
    var stagedAt: [Int: Set<Operand>] = [:]
    for (operand, index) in plan.staging { stagedAt[index, default: []].insert(operand) }
    for index in stagedAt.keys.sorted() {
      let reserved = plan.residentLevel?.index == index ? context.reservedBits : 0
      budgets.append(plan.budget(level: index, operands: stagedAt[index] ?? [], reservedBits: reserved))
    }
    let candidates = TileSearch.feasible(nest: nest, bits: bits, budgets: budgets, resident: resident)
    guard !candidates.isEmpty else {
      return .failure(SimulationFailure(reason: tooSmallReason(nest: nest, bits: bits, budgets: budgets, resident: resident), layer: layer.name))
    }
    let readBPC = plan.bytesPerCycle(0, write: false)
    let writeBPC = plan.bytesPerCycle(0, write: true)
    let shared = device.memory[0].sharedPort
    let latency = device.memory[0].latency * device.clock

    struct Scored {
      var index: Int
      var bound: Double
      var dramBits: Double
      var compute: Double
      var levelCycles: [Double]
      var readBits: OperandBitsRead
      var writeBits: Double
    }
    // Everything that does not depend on the candidate, hoisted out of the
    // scoring loop (which runs for thousands of candidates per layer): no
    // hashing inside it.
    let fromStore = (
      weights: plan.usesBackingStore(.weights), inputs: plan.usesBackingStore(.inputs),
      outputs: plan.usesBackingStore(.outputs))
    let fixedR = fixedReads.map { $0.values.reduce(0, +) }
    let fixedW = fixedWrites.map { $0.values.reduce(0, +) }
    let stagedFlags: [(weights: Bool, inputs: Bool, outputs: Bool)] = (0..<levels).map { index in
      let staged = stagedAt[index] ?? []
      return (staged.contains(.weights), staged.contains(.inputs), staged.contains(.outputs))
    }
    var scored: [Scored] = []
    scored.reserveCapacity(candidates.count)
    for (i, candidate) in candidates.enumerated() {
      let t = candidate.traffic
      let readBits = OperandBitsRead(
        weights: fromStore.weights ? t.weightsIn : nil, inputs: fromStore.inputs ? t.inputsIn : nil,
        outputs: fromStore.outputs ? t.partialSumsIn : nil)
      let writeBits = fromStore.outputs ? t.outputsOut : 0
      var cycles = [Double](repeating: 0, count: levels)
      var slowest = 0.0
      for index in 1..<levels {
        var r = fixedR[index]
        var w = fixedW[index]
        let staged = stagedFlags[index]
        if staged.weights { w += t.weightsIn }
        if staged.inputs { w += t.inputsIn }
        if staged.outputs {
          w += t.partialSumsIn
          r += t.outputsOut
        }
        cycles[index] = plan.levelCycles(index, readBits: r, writeBits: w)
        slowest = max(slowest, cycles[index])
      }
      let compute = max(estimate.cycles, slowest)
      let totalRead = readBits.total
      let inCycles = finite(totalRead / 8 / readBPC)
      let outCycles = finite(writeBits / 8 / writeBPC)
      let dram = shared ? inCycles + outCycles : max(inCycles, outCycles)
      scored.append(
        Scored(
          index: i, bound: max(compute, dram), dramBits: totalRead + writeBits, compute: compute,
          levelCycles: cycles, readBits: readBits, writeBits: writeBits))
    }
    scored.sort { a, b in
      a.bound != b.bound ? a.bound < b.bound : (a.dramBits != b.dramBits ? a.dramBits < b.dramBits : a.index < b.index)
    }
    var best: (Scored, [TileGroup], TimelineResult)?
    let buffers = !budgets.isEmpty && stagedAt.keys.allSatisfy({ device.memory[$0].doubleBuffered }) ? 2 : 1
    for s in scored {
      if let b = best {
        if s.bound > b.2.makespan { break }
        if s.bound == b.2.makespan && s.dramBits >= b.0.dramBits { continue }
      }
      let tiling = candidates[s.index].tiling
      let groups = makeGroups(
        tiling: tiling, scored: (s.readBits, s.writeBits), compute: s.compute, macs: macs,
        readBPC: readBPC, writeBPC: writeBPC, latency: latency)
      let timeline = Timeline.run(groups, buffers: buffers, sharedChannel: shared)
      if let b = best {
        if timeline.makespan < b.2.makespan
          || (timeline.makespan == b.2.makespan && s.dramBits < b.0.dramBits)
        {
          best = (s, groups, timeline)
        }
      } else {
        best = (s, groups, timeline)
      }
    }
    guard let (chosen, groups, timeline) = best else {
      return .failure(SimulationFailure(reason: "no mapping found", layer: layer.name))
    }
    let candidate = candidates[chosen.index]
    let t = candidate.traffic

    // Accesses at every level.
    var reads = fixedReads
    var writes = fixedWrites
    for (operand, bitsRead) in chosen.readBits.dictionary { reads[0][operand, default: 0] += bitsRead }
    if chosen.writeBits > 0 { writes[0][.outputs, default: 0] += chosen.writeBits }
    for (index, staged) in stagedAt {
      if staged.contains(.weights) { writes[index][.weights, default: 0] += t.weightsIn }
      if staged.contains(.inputs) { writes[index][.inputs, default: 0] += t.inputsIn }
      if staged.contains(.outputs) {
        writes[index][.outputs, default: 0] += t.partialSumsIn
        reads[index][.outputs, default: 0] += t.outputsOut
      }
    }
    var buffer = 0.0
    for operand in Operand.allCases where !resident.contains(operand) {
      buffer += candidate.tiling.footprintBits(of: operand, nest: nest, bits: bits)
    }
    let tile = candidate.tiling.tile
    let mapping =
      "tile G\(tile.g) N\(tile.n) M\(tile.m) C\(tile.c) P\(tile.p) Q\(tile.q); order "
      + (candidate.tiling.order.isEmpty ? "-" : candidate.tiling.order.map { $0.rawValue.uppercased() }.joined())
      + "; " + estimate.unrolling.summary
    let dramIn = finite(chosen.readBits.total / 8 / readBPC)
    let dramOut = finite(chosen.writeBits / 8 / writeBPC)
    return .success(
      LayerEvaluation(
        makespan: timeline.makespan, groups: groups, timeline: timeline,
        dramReadBits: chosen.readBits.dictionary, dramWriteBits: [.outputs: chosen.writeBits],
        levelReads: reads, levelWrites: writes, computeCycles: estimate.cycles,
        levelCycles: chosen.levelCycles,
        dramCycles: shared ? dramIn + dramOut : max(dramIn, dramOut),
        tileCount: candidate.tiling.tileCount, mapping: mapping,
        spatialUtilization: estimate.unrolling.utilization,
        peakMACsPerCycle: estimate.peakMACsPerCycle, bufferBits: buffer))
  }

  /// The traffic an inner level's instances cause at their parent.
  ///
  /// A spatial array (`npu`) feeds its per-PE scratchpads over a multicast
  /// network and reduces partial sums between PEs before they leave the
  /// array (Eyeriss: Chen et al., JSSC 2017 §V-B; Timeloop's multicast and
  /// spatial reduction): one parent read serves every PE that needs the
  /// same value, and one write-back carries a sum over the PEs that share
  /// an output. Cores with private caches (cpu, gpu, mcu) fetch their own
  /// copies: no sharing.
  static func parentSide(
    of traffic: LevelTraffic, level: MemoryLevel, device: Device, unrolling: SpatialUnrolling,
    nest: LoopNest
  ) -> LevelTraffic {
    guard case .array = device.compute.organisation, level.instances > 1 else { return traffic }
    let outputs = unrolling.multicast(of: .outputs, nest: nest)
    return LevelTraffic(
      weightsIn: traffic.weightsIn / unrolling.multicast(of: .weights, nest: nest),
      inputsIn: traffic.inputsIn / unrolling.multicast(of: .inputs, nest: nest),
      partialSumsIn: traffic.partialSumsIn / outputs,
      outputsOut: traffic.outputsOut / outputs)
  }

  private func makeGroups(
    tiling: Tiling, scored: (reads: OperandBitsRead, write: Double), compute: Double,
    macs: Double, readBPC: Double, writeBPC: Double, latency: Double
  ) -> [TileGroup] {
    let count = max(1, tiling.tileCount)
    let bounds = groupBoundaries(count: count, limit: options.maximumTileGroups)
    let periodW = tiling.period(of: .weights)
    let periodI = tiling.period(of: .inputs)
    let periodO = tiling.period(of: .outputs)
    let eventsW = Double(max(1, count / periodW))
    let eventsI = Double(max(1, count / periodI))
    let eventsO = Double(max(1, count / periodO))
    var groups: [TileGroup] = []
    groups.reserveCapacity(bounds.count)
    for j in 0..<(bounds.count - 1) {
      let a = bounds[j]
      let b = bounds[j + 1]
      guard b > a else { continue }
      var inBits = 0.0
      inBits += Double(fetches(a, b, period: periodW)) * scored.reads.weights / eventsW
      inBits += Double(fetches(a, b, period: periodI)) * scored.reads.inputs / eventsI
      inBits += Double(fetches(a, b, period: periodO)) * scored.reads.outputs / eventsO
      let outBits = Double(drains(a, b, period: periodO)) * scored.write / eventsO
      let share = Double(b - a) / Double(count)
      let inCycles = inBits > 0 ? latency + finite(inBits / 8 / readBPC) : 0
      let outCycles = outBits > 0 ? latency + finite(outBits / 8 / writeBPC) : 0
      groups.append(
        TileGroup(
          firstTile: a, tiles: b - a, inCycles: inCycles, computeCycles: compute * share,
          outCycles: outCycles, inBytes: inBits / 8, outBytes: outBits / 8, macs: macs * share))
    }
    return groups
  }

  private func tooSmallReason(
    nest: LoopNest, bits: OperandBits, budgets: [TileBudget], resident: Set<Operand>
  ) -> String {
    let smallest = Tiling(nest: nest, tile: TileShape(), order: [])
    var parts: [String] = []
    for budget in budgets {
      let need = budget.operands.subtracting(resident).sorted().map {
        ($0, smallest.footprintBits(of: $0, nest: nest, bits: bits))
      }
      switch budget.pool {
      case .shared(let capacity):
        let total = need.reduce(0) { $0 + $1.1 }
        parts.append("the smallest tile needs \(bytes(total)) but only \(bytes(capacity)) of on-chip memory is usable")
      case .partitioned(let capacities):
        for (operand, bitsNeeded) in need where bitsNeeded > (capacities[operand] ?? 0) {
          parts.append("the smallest \(operand.rawValue) tile needs \(bytes(bitsNeeded)) but its partition offers \(bytes(capacities[operand] ?? 0))")
        }
      }
    }
    return (parts.isEmpty ? "no tile fits the on-chip memory" : parts.joined(separator: "; "))
      + " (double-buffered levels offer half their size)"
  }
}

func finite(_ value: Double) -> Double { value.isFinite ? value : 0 }

func bytes(_ bits: Double) -> String {
  let b = (bits / 8).rounded(.up)
  guard b.isFinite else { return "unlimited" }
  if b >= 1_048_576 { return "\(Int((b / 104_857.6).rounded()) / 10).\(Int((b / 104_857.6).rounded()) % 10) MiB" }
  if b >= 1024 { return "\(Int((b / 1024).rounded())) KiB" }
  return "\(Int(b)) B"
}

/// Bits a tiling reads from the backing store, per operand, without the
/// hashing of a dictionary (the scoring loop's hot path).
/// `nil` marks an operand that does not come from the backing store.
struct OperandBitsRead {
  var weightsRead: Double?
  var inputsRead: Double?
  var outputsRead: Double?

  init(weights: Double?, inputs: Double?, outputs: Double?) {
    weightsRead = weights
    inputsRead = inputs
    outputsRead = outputs
  }

  var weights: Double { weightsRead ?? 0 }
  var inputs: Double { inputsRead ?? 0 }
  var outputs: Double { outputsRead ?? 0 }
  var total: Double { weights + inputs + outputs }

  /// The operands that come from the backing store, as results report them.
  var dictionary: [Operand: Double] {
    var d: [Operand: Double] = [:]
    if let weightsRead { d[.weights] = weightsRead }
    if let inputsRead { d[.inputs] = inputsRead }
    if let outputsRead { d[.outputs] = outputsRead }
    return d
  }
}
