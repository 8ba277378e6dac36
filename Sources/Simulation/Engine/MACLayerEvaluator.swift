import HardwareModel
import Mapping

/// Buffers a run reuses from one MAC layer's mapping search to the next.
struct MappingScratch {
  var candidates: [PackedCandidate] = []
  var scored: [StagingSearch.Scored] = []
  /// Inner levels' least-traffic tilings by what they depend on: the nest,
  /// the widths and the compute estimate's unrolling, not the layer's
  /// context (residency, reservations, DRAM coding), so layers of one shape
  /// in different contexts share them.
  var innerLevels: [InnerLevelKey: InnerLevelTraffic] = [:]
  /// Staging choices shared across reservations, by the layer's key with
  /// no reservation (``ReservationMemo``).
  var reservations: [MACEvaluationKey: ReservationMemo] = [:]
}

/// What the inner levels' tilings of a MAC layer depend on.
struct InnerLevelKey: Hashable {
  var nest: LoopNest
  var bits: OperandBits
  var rate: ExecutionRate
  var efficiency: Double
  var depthwise: Bool
}

/// The traffic of each inner level's chosen tiling, as its instances
/// cause it, and as its parent sees it (after sharing).
struct InnerLevelTraffic {
  var inner: [Int: LevelTraffic] = [:]
  var parent: [Int: LevelTraffic] = [:]
}

/// Maps a MAC layer: inner-level tilings, the staging tiling chosen by its
/// timeline, and the traffic at every level.
struct MACLayerEvaluator {
  let plan: HierarchyPlan
  let options: SimulationOptions

  var device: Device { plan.device }

  func evaluate(
    _ context: LayerContext, nest: LoopNest, scratch: inout MappingScratch
  ) -> Result<LayerEvaluation, SimulationFailure> {
    let layer = context.layer
    let bits = context.bits
    let levels = device.memory.count
    var estimate = ComputeModel.estimate(
      nest: nest, device: device, rate: context.rate,
      efficiency: context.efficiency,
      depthwise: layer.operatorClass == .depthwise)
    // A datapath that skips zeros spends cycles on the nonzero MACs only.
    estimate.cycles *= context.computeShare
    let macs = Double(nest.macs ?? Int.max)
    let resident = context.resident

    // Staging: every feasible tiling, ranked by a lower bound, timed in order.
    var budgets: [TileBudget] = []
    var stagedAt: [Int: Set<Operand>] = [:]
    for (operand, index) in plan.staging {
      stagedAt[index, default: []].insert(operand)
    }
    for index in stagedAt.keys.sorted() {
      let reserved =
        plan.residentLevel?.index == index ? context.reservedBits : 0
      budgets.append(
        plan.budget(
          level: index, operands: stagedAt[index] ?? [], reservedBits: reserved)
      )
    }
    // A reservation that leaves the candidates of an earlier one gets its
    // evaluation (``ReservationMemo``).
    let reservedPosition = stagedAt.keys.sorted().firstIndex {
      plan.reservationLimitsStaging && $0 == plan.residentLevel?.index
    }
    var memoKey = MACEvaluationKey(context, nest: nest, plan: plan)
    memoKey.reservedBits = 0
    if let position = reservedPosition,
      let capacity = budgets[position].sharedCapacity,
      let memo = scratch.reservations[memoKey],
      let count = memo.count(
        fitting: capacity, reservedBits: context.reservedBits),
      let known = memo.evaluation(candidates: count)
    {
      return .success(known)
    }

    // Inner levels: least-traffic tilings per instance, independent of the
    // staging choice.
    var fixedReads = [[Operand: Double]](repeating: [:], count: levels)
    var fixedWrites = [[Operand: Double]](repeating: [:], count: levels)
    // The same minus the datapath's own accesses when the compute
    // organisation models their delivery (its cycles include them): what
    // the on-chip bound times. A second, bandwidth-based bound on them
    // would contradict the organisation's model (SCALE-Sim's fold schedule
    // against the SRAM's ports); they still cost energy.
    var timedReads = fixedReads
    var timedWrites = fixedWrites
    let innerKey = InnerLevelKey(
      nest: nest, bits: bits, rate: context.rate,
      efficiency: context.efficiency,
      depthwise: layer.operatorClass == .depthwise)
    let innerLevels: InnerLevelTraffic
    if let cached = scratch.innerLevels[innerKey] {
      innerLevels = cached
    } else {
      innerLevels = innerLevelTraffic(
        nest: nest, bits: bits, estimate: estimate)
      scratch.innerLevels[innerKey] = innerLevels
    }
    let innerTraffic = innerLevels.inner
    let parentTraffic = innerLevels.parent
    for operand in Operand.allCases {
      guard let chain = plan.chain[operand], let staging = plan.staging[operand]
      else { continue }
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
          switch operand {
          case .weights: timedReads[index][.weights, default: 0] += t.weightsIn
          case .inputs: timedReads[index][.inputs, default: 0] += t.inputsIn
          case .outputs:
            timedReads[index][.outputs, default: 0] += t.partialSumsIn
            timedWrites[index][.outputs, default: 0] += t.outputsOut
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
          switch operand {
          case .weights: timedWrites[index][.weights, default: 0] += t.weightsIn
          case .inputs: timedWrites[index][.inputs, default: 0] += t.inputsIn
          case .outputs:
            timedWrites[index][.outputs, default: 0] += t.partialSumsIn
            timedReads[index][.outputs, default: 0] += t.outputsOut
          }
        }
        if child == nil {
          // The datapath's own accesses. Per-PE registers (one instance per
          // PE) see every MAC, whatever the organisation: each MAC reads its
          // weight and its input and reads and writes its partial sum in the
          // PE's own register file, as Timeloop and ZigZag count them; the
          // organisation's counts (SCALE-Sim's edge accesses) are for a
          // datapath fed straight from a shared level.
          let level = device.memory[index]
          let perPE = level.kind == .registers && level.instances > 1
          let width = operand == .outputs ? bits.partialSumBits : bits[operand]
          let reads = perPE ? macs : (estimate.reads[operand] ?? 0)
          let writes =
            perPE
            ? (operand == .outputs ? macs : 0) : (estimate.writes[operand] ?? 0)
          fixedReads[index][operand, default: 0] += reads * Double(width)
          fixedWrites[index][operand, default: 0] += writes * Double(width)
          if !estimate.deliversOperands {
            timedReads[index][operand, default: 0] += reads * Double(width)
            timedWrites[index][operand, default: 0] += writes * Double(width)
          }
        }
      }
    }

    TileSearch.packedFeasible(
      nest: nest, bits: bits, budgets: budgets, resident: resident,
      into: &scratch.candidates)
    let candidates = scratch.candidates
    if let position = reservedPosition,
      let counted = budgets[position].sharedOperands(resident: resident)
    {
      let enumeratedAt = scratch.reservations[memoKey]?.enumeratedAt
      if enumeratedAt.map({ context.reservedBits < $0 }) ?? true {
        var sizes: [Double] = []
        sizes.reserveCapacity(candidates.count)
        for candidate in candidates {
          var used = 0.0
          for operand in counted {
            used += candidate.tiling.footprintBits(
              of: operand, nest: nest, bits: bits)
          }
          sizes.append(used)
        }
        if enumeratedAt == nil {
          scratch.reservations[memoKey] = ReservationMemo(
            sizes: sizes, reservedBits: context.reservedBits)
        } else {
          scratch.reservations[memoKey]?.widen(
            sizes: sizes, reservedBits: context.reservedBits)
        }
      }
      if let known = scratch.reservations[memoKey]?.evaluation(
        candidates: candidates.count)
      {
        return .success(known)
      }
    }
    guard !candidates.isEmpty else {
      return .failure(
        SimulationFailure(
          reason: tooSmallReason(
            nest: nest, bits: bits, budgets: budgets, resident: resident),
          layer: layer.name))
    }
    let search = StagingSearch(
      plan: plan, fixedReads: timedReads, fixedWrites: timedWrites,
      stagedAt: stagedAt,
      computeCycles: estimate.cycles, macs: macs,
      maximumTileGroups: options.maximumTileGroups,
      dram: context.dram,
      finalOutputBits: Double(layer.output.elements) * Double(bits.outputs),
      buffers: !budgets.isEmpty
        && stagedAt.keys.allSatisfy({ device.memory[$0].doubleBuffered })
        ? 2 : 1)
    guard let chosen = search.best(of: candidates, scored: &scratch.scored)
    else {
      return .failure(
        SimulationFailure(reason: "no mapping found", layer: layer.name))
    }
    let candidate = candidates[chosen.index]
    let tiling = candidate.tiling.tiling(of: nest)
    let t = candidate.traffic
    let groups = search.groups(tiling: tiling, scored: chosen)
    let timeline = Timeline.run(
      groups, buffers: search.buffers, sharedChannel: search.shared)
    let readBPC = search.readBPC
    let writeBPC = search.writeBPC
    let shared = search.shared

    // Accesses at every level.
    var reads = fixedReads
    var writes = fixedWrites
    for (operand, bitsRead) in chosen.readBits.dictionary {
      reads[0][operand, default: 0] += bitsRead
    }
    if chosen.writeBits > 0 {
      writes[0][.outputs, default: 0] += chosen.writeBits
    }
    for (index, staged) in stagedAt {
      if staged.contains(.weights) {
        writes[index][.weights, default: 0] += t.weightsIn
      }
      if staged.contains(.inputs) {
        writes[index][.inputs, default: 0] += t.inputsIn
      }
      if staged.contains(.outputs) {
        writes[index][.outputs, default: 0] += t.partialSumsIn
        reads[index][.outputs, default: 0] += t.outputsOut
      }
    }
    var buffer = 0.0
    for operand in Operand.allCases where !resident.contains(operand) {
      buffer += tiling.footprintBits(of: operand, nest: nest, bits: bits)
    }
    let tile = tiling.tile
    let mapping =
      "tile G\(tile.g) N\(tile.n) M\(tile.m) C\(tile.c) P\(tile.p) Q\(tile.q); order "
      + (tiling.order.isEmpty
        ? "-" : tiling.order.map { $0.rawValue.uppercased() }.joined())
      + "; " + estimate.unrolling.summary
    let dramIn = finite(chosen.readBits.total / 8 / readBPC)
    let dramOut = finite(chosen.writeBits / 8 / writeBPC)
    let evaluation = LayerEvaluation(
      makespan: timeline.makespan, groups: groups, timeline: timeline,
      dramReadBits: chosen.readBits.dictionary,
      dramWriteBits: [.outputs: chosen.writeBits],
      levelReads: reads, levelWrites: writes, computeCycles: estimate.cycles,
      levelCycles: search.levelCycles(of: t),
      dramCycles: shared ? dramIn + dramOut : max(dramIn, dramOut),
      tileCount: tiling.tileCount, mapping: mapping,
      spatialUtilization: estimate.unrolling.utilization,
      peakMACsPerCycle: estimate.peakMACsPerCycle, bufferBits: buffer)
    if reservedPosition != nil {
      scratch.reservations[memoKey]?.record(
        evaluation, candidates: candidates.count)
    }
    return .success(evaluation)
  }

  /// The least-traffic tiling of every inner level per instance, ranked by
  /// what the parent sees (after multicast and spatial reduction), where
  /// the inner choice costs bandwidth; independent of the staging choice.
  private func innerLevelTraffic(
    nest: LoopNest, bits: OperandBits, estimate: ComputeEstimate
  ) -> InnerLevelTraffic {
    var result = InnerLevelTraffic()
    for index in device.memory.indices
    where !device.memory[index].kind.isOffChip {
      guard
        Operand.allCases.contains(where: {
          plan.innerLevels(of: $0).contains(index)
        })
      else {
        continue
      }
      let (sub, used) = nest.perInstance(
        device.memory[index].instances, unrolling: estimate.unrolling)
      // Ranked by what the parent sees (after multicast and spatial
      // reduction), where the inner choice costs bandwidth.
      let level = device.memory[index]
      let sharing = ParentSharing(
        level: level, device: device, unrolling: estimate.unrolling, nest: nest)
      let candidate = TileSearch.leastTraffic(
        nest: sub, bits: bits, budgets: [plan.instanceBudget(level: index)],
        slidingWindow: level.kind == .registers,
        cost: { sharing.apply(to: $0).totalBits })
      let traffic =
        (candidate?.traffic
          ?? Tiling(nest: sub, tile: TileShape(), order: []).traffic(
            nest: sub, bits: bits))
      result.inner[index] = traffic.scaled(by: Double(used))
      result.parent[index] = sharing.apply(to: traffic.scaled(by: Double(used)))
    }
    return result
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
    of traffic: LevelTraffic, level: MemoryLevel, device: Device,
    unrolling: SpatialUnrolling,
    nest: LoopNest
  ) -> LevelTraffic {
    ParentSharing(
      level: level, device: device, unrolling: unrolling, nest: nest
    ).apply(to: traffic)
  }

  private func tooSmallReason(
    nest: LoopNest, bits: OperandBits, budgets: [TileBudget],
    resident: Set<Operand>
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
        parts.append(
          "the smallest tile needs \(bytes(total)) but only \(bytes(capacity)) of on-chip memory is usable"
        )
      case .partitioned(let capacities):
        for (operand, bitsNeeded) in need
        where bitsNeeded > (capacities[operand] ?? 0) {
          parts.append(
            "the smallest \(operand.rawValue) tile needs \(bytes(bitsNeeded)) but its partition offers \(bytes(capacities[operand] ?? 0))"
          )
        }
      }
    }
    return
      (parts.isEmpty
      ? "no tile fits the on-chip memory" : parts.joined(separator: "; "))
      + " (double-buffered levels offer half their size)"
  }
}

func finite(_ value: Double) -> Double { value.isFinite ? value : 0 }

func bytes(_ bits: Double) -> String {
  let b = (bits / 8).rounded(.up)
  guard b.isFinite else { return "unlimited" }
  if b >= 1_048_576 {
    return
      "\(Int(saturating: (b / 104_857.6).rounded()) / 10).\(Int(saturating: (b / 104_857.6).rounded()) % 10) MiB"
  }
  if b >= 1024 { return "\(Int(saturating: (b / 1024).rounded())) KiB" }
  return "\(Int(saturating: b)) B"
}

/// Bits a tiling reads from the backing store, per operand, without the hashing
/// of a dictionary (the scoring loop's hot path).
///
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
