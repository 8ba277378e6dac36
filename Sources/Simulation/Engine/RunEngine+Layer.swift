import HardwareModel
import Mapping
import PrecisionModel

extension RunEngine {
  /// Simulates one layer starting at `start` seconds.
  mutating func simulate(
    _ layer: Layer, start: Double, trace: inout some TraceSink
  ) throws -> LayerResult {
    let prepared = try prepare(layer)
    let widths = prepared.widths
    let rate = prepared.rate
    let inputsOnChip = prepared.inputsOnChip
    let dram = prepared.dram
    let kernel = device.runtime.flatMap { runtime in
      RuntimeModel.timesOperators(on: device.compute.organisation)
        ? (
          runtime,
          KernelModel.work(
            of: layer, widths: widths, rate: rate, on: device,
            weightHome: KernelModel.weightHome(
              bytes: parameterBits.total / 8, on: device))
        ) : nil
    }

    if case .view = layer.work {
      advance(pastView: layer, inputsOnChip: inputsOnChip)
      var result = emptyResult(
        layer, widths: widths, start: start,
        onChip: inputsOnChip || resident[layer.output.name] != nil)
      if let (runtime, work) = kernel {
        let time = KernelModel.time(work, runtime: runtime, pool: &pool)
        result = retimed(result, work: work, time: time)
      }
      if options.compression != nil { result.dramCoding = dram }
      return result
    }

    let contexts = contexts(of: layer, prepared: prepared)
    let base = contexts.base
    let outputBits = prepared.outputBits
    let mustKeep = plan.homeOnChip[.outputs] == true
    let band = contexts.band
    let keptBits = contexts.keptBits

    var evaluation: LayerEvaluation?
    var kept = false
    var lastFailure: SimulationFailure?
    if let context = contexts.keeping {
      switch evaluate(context) {
      case .success(let e):
        evaluation = e
        kept = true
      case .failure(let f): lastFailure = f
      }
    }
    if evaluation == nil {
      if mustKeep, layer.fusedInto == nil {
        if let lastFailure { throw lastFailure }
        try keep(layer.output.name, bits: outputBits, layer: layer.name)
      }
      switch evaluate(base) {
      case .success(let e): evaluation = e
      case .failure(let f): throw f
      }
    }
    guard var evaluation else {
      throw SimulationFailure(reason: "no mapping", layer: layer.name)
    }
    if let (runtime, work) = kernel {
      let time = KernelModel.time(work, runtime: runtime, pool: &pool)
      evaluation = retimed(evaluation, work: work, time: time)
    } else if let runtime = device.runtime, issuedLayers.contains(layer.name) {
      evaluation = withLayerOverhead(evaluation, runtime: runtime)
    }
    release(after: layer)
    if kept {
      resident[layer.output.name] = keptBits
      if let band {
        evaluation.mapping += "; output in \(band.count) row bands on chip"
      }
    }
    var result = try record(
      layer, evaluation: evaluation, widths: widths, dram: dram, start: start,
      kept: kept
        || (layer.fusedInto != nil && resident[layer.output.name] != nil),
      inputsOnChip: inputsOnChip || plan.homeOnChip[.inputs] == true,
      trace: &trace)
    if options.compression != nil { result.dramCoding = dram }
    return result
  }

  mutating func evaluate(_ context: LayerContext) -> Result<
    LayerEvaluation, SimulationFailure
  > {
    switch context.layer.work {
    case .mac(let nest):
      // Networks repeat layer shapes (ResNet-50's bottleneck blocks): a
      // mapping is searched once per distinct key, which holds everything
      // the evaluation reads (see `MACEvaluationKey`).
      let key = MACEvaluationKey(context, nest: nest, plan: plan)
      if let cached = macEvaluations[key] { return .success(cached) }
      if let known = searchAhead?.take(key) {
        macEvaluations[key] = known
        return .success(known)
      }
      let result = MACLayerEvaluator(plan: plan, options: options).evaluate(
        context, nest: nest, scratch: &mappingScratch)
      if case .success(let evaluation) = result {
        macEvaluations[key] = evaluation
      }
      return result
    case .streaming(let operations):
      var inputBits = 0.0
      var dramBits = 0.0
      for input in context.layer.inputs {
        let b = Double(input.elements) * Double(context.bits.inputs)
        inputBits += b
        if resident[input.name] == nil && plan.homeOnChip[.inputs] != true {
          dramBits += b
        }
      }
      if context.layer.fusedInto != nil { dramBits = 0 }
      // A multi-pass layer (a normalisation) re-reads each group on chip;
      // from the backing store again only when one group does not fit.
      let layer = context.layer
      if layer.passes > 1, dramBits > 0,
        let staging = plan.staging[.inputs] ?? plan.staging[.outputs],
        Double(layer.passGroupElements) * Double(context.bits.inputs) * 2
          > (device.memory[staging].capacity.totalBytes ?? .infinity) * 8
      {
        dramBits *= Double(layer.passes)
      }
      return StreamingLayerEvaluator(plan: plan, options: options).evaluate(
        context, operations: operations, inputBits: inputBits,
        inputDRAMBits: dramBits, inputCodedBits: dramBits * context.dram.inputs)
    case .view:
      return .failure(
        SimulationFailure(
          reason: "views are not evaluated", layer: context.layer.name))
    }
  }

  func emptyResult(
    _ layer: Layer, widths: LayerWidths, start: Double, onChip: Bool
  ) -> LayerResult {
    LayerResult(
      name: layer.name, opType: layer.opType,
      operatorClass: layer.operatorClass, widths: widths,
      macs: 0, operations: 0, cycles: 0, seconds: 0, startSeconds: start,
      bound: .none,
      stallSeconds: 0, dramRead: [:], dramWritten: [:],
      levels: device.memory.map {
        LevelAccesses(level: $0.name, reads: [:], writes: [:])
      },
      energy: .zero(for: device), utilization: 0, spatialUtilization: 0,
      tileCount: 0,
      outputStaysOnChip: onChip, inputsOnChip: onChip, fusedInto: nil,
      bufferBytes: 0,
      mapping: "view",
      roofline: Roofline(
        arithmeticIntensity: nil, peakOperationsPerSecond: 0,
        bandwidth: device.backingStore.readBandwidth,
        attainableOperationsPerSecond: 0, boundSeconds: 0))
  }

  /// Turns an evaluation into a result: cycles, energy, accesses, roofline,
  /// and the trace events.
  func record(
    _ layer: Layer, evaluation e: LayerEvaluation, widths: LayerWidths,
    dram: DRAMScale, start: Double, kept: Bool,
    inputsOnChip: Bool, trace: inout some TraceSink
  ) throws -> LayerResult {
    let clock = device.clock
    let decoding = decoding(
      of: layer, evaluation: e, widths: widths, dram: dram)
    let makespan = max(e.makespan, decoding.cycles)
    let nearest = makespan.rounded()
    let cycles =
      abs(makespan - nearest) <= 1e-6 * max(1, makespan)
      ? nearest : makespan.rounded(.up)
    // Cycles are counted in 64 bits; a layer that takes longer is refused
    // rather than printed with a clamped count.
    guard cycles.isFinite, cycles >= 0, cycles < Self.cycleLimit else {
      throw SimulationFailure(
        reason:
          "the layer would take \(cycles) cycles (\(cycles / clock) s), more than the \(Self.cycleLimit) cycles EdgeSim can count; check the device's bandwidths, latencies and clock",
        layer: layer.name)
    }
    let cyclesInt = Int(cycles)
    let seconds = cycles / clock
    let macs = layer.macs ?? 0
    let macEnergy = EnergyModel.macEnergy(widths, device: device)
    let opEnergy = EnergyModel.operationEnergy(widths, device: device)
    // Zeros the device skips take no cycle; skipped or gated, no energy.
    let zeroShares = zeroShares(of: layer)
    let effectiveMACs = Double(macs) * zeroShares.cycles
    var energy = EnergyBreakdown.zero(for: device)
    energy.mac = Double(macs) * macEnergy * zeroShares.energy
    energy.operations =
      Double(layer.otherOperations) * opEnergy + decoding.joules
    energy.staticEnergy = device.staticPower * seconds
    var levels: [LevelAccesses] = []
    for (index, level) in device.memory.enumerated() {
      var joules = 0.0
      var reads: [Operand: Int] = [:]
      var writes: [Operand: Int] = [:]
      for operand in Operand.allCases {
        let r = e.levelReads[index][operand] ?? 0
        let w = e.levelWrites[index][operand] ?? 0
        let j = r * level.energy.readPerBit + w * level.energy.writePerBit
        joules += j
        energy.byOperand[operand, default: 0] += j
        if r > 0 { reads[operand] = toBytes(r) }
        if w > 0 { writes[operand] = toBytes(w) }
      }
      if index == device.backingStoreIndex {
        energy.backingStore.joules = joules
      } else {
        energy.onChip[index - 1].joules = joules
      }
      levels.append(
        LevelAccesses(level: level.name, reads: reads, writes: writes))
    }
    // Trace.
    for group in e.groups.indices {
      let g = e.groups[group]
      if g.inCycles > 0 {
        trace.record(
          TraceEvent(
            layer: layer.name, engine: .dmaIn, tile: g.firstTile,
            tiles: g.tiles, start: start + e.timeline.inStart[group] / clock,
            duration: g.inCycles / clock, amount: toBytes(g.inBytes * 8)))
      }
      if g.computeCycles > 0 {
        trace.record(
          TraceEvent(
            layer: layer.name, engine: .compute, tile: g.firstTile,
            tiles: g.tiles,
            start: start + e.timeline.computeStart[group] / clock,
            duration: g.computeCycles / clock,
            amount: Int(saturating: g.macs.rounded())))
      }
      if g.outCycles > 0 {
        trace.record(
          TraceEvent(
            layer: layer.name, engine: .dmaOut, tile: g.firstTile,
            tiles: g.tiles, start: start + e.timeline.outStart[group] / clock,
            duration: g.outCycles / clock, amount: toBytes(g.outBytes * 8)))
      }
    }
    let dramRead = e.dramReadBits.filter { $0.value > 0 }.mapValues(toBytes)
    let dramWritten = e.dramWriteBits.filter { $0.value > 0 }.mapValues(toBytes)
    let dramBytes = Double(
      dramRead.values.reduce(0, +) + dramWritten.values.reduce(0, +))
    let peakMACs = e.peakMACsPerCycle * clock
    let peakOps =
      peakMACs > 0
      ? 2 * peakMACs
      : StreamingLayerEvaluator.operationsPerCycle(
        device: device,
        rate: (try? ExecutionRate.resolve(widths, on: device).get())
          ?? ExecutionRate(precision: nil, macsPerUnitPerCycle: 1)) * clock
    let operations = 2 * Double(macs) + Double(layer.otherOperations)
    let store = device.backingStore
    let readBW = store.readBandwidth * Double(max(1, store.instances))
    let writeBW = store.writeBandwidth * Double(max(1, store.instances))
    let intensity = dramBytes > 0 ? operations / dramBytes : nil
    let readSeconds = finite(Double(dramRead.values.reduce(0, +)) / readBW)
    let writeSeconds = finite(Double(dramWritten.values.reduce(0, +)) / writeBW)
    let transfer =
      store.sharedPort
      ? readSeconds + writeSeconds : max(readSeconds, writeSeconds)
    let computeBound = peakMACs > 0 ? effectiveMACs / peakMACs : 0
    let stall = max(0, makespan - e.timeline.computeBusy) / clock
    return LayerResult(
      name: layer.name, opType: layer.opType,
      operatorClass: layer.operatorClass, widths: widths,
      macs: macs, operations: layer.otherOperations, cycles: cyclesInt,
      seconds: seconds,
      startSeconds: start,
      bound: makespan <= 0
        ? .none
        : decoding.cycles > e.makespan ? .decoder : e.bound(device: device),
      stallSeconds: stall,
      dramRead: dramRead, dramWritten: dramWritten, levels: levels,
      energy: energy,
      utilization: peakMACs > 0 && cycles > 0
        ? min(1, effectiveMACs / (e.peakMACsPerCycle * cycles)) : 0,
      spatialUtilization: e.spatialUtilization, tileCount: e.tileCount,
      outputStaysOnChip: kept,
      inputsOnChip: inputsOnChip, fusedInto: layer.fusedInto,
      bufferBytes: toBytes(e.bufferBits),
      mapping: e.mapping,
      roofline: Roofline(
        arithmeticIntensity: intensity, peakOperationsPerSecond: peakOps,
        bandwidth: readBW,
        attainableOperationsPerSecond: intensity.map {
          min(peakOps, $0 * readBW)
        } ?? peakOps,
        boundSeconds: max(computeBound, transfer)))
  }

  /// The most cycles a run may take: 2^62, so that the sum over layers of
  /// counts below it is checked, not wrapped.
  static let cycleLimit: Double = 0x1p62

  func summarize(
    _ results: [LayerResult], peak: Double, firstWidths: LayerWidths
  ) throws -> RunSummary {
    var energy = EnergyBreakdown.zero(for: device)
    var cycles = 0
    var latency = 0.0
    var macs = 0
    var operations = 0
    var read = 0
    var written = 0
    // Every sum is checked: a total that does not fit is refused, never
    // printed wrapped or saturated.
    func sum(_ a: Int, _ b: Int, _ what: String) throws -> Int {
      let (value, overflow) = a.addingReportingOverflow(b)
      guard !overflow, Double(value) < Self.cycleLimit else {
        throw SimulationFailure(
          reason:
            "the run's \(what) exceed what EdgeSim can count (\(Self.cycleLimit)); simulate a smaller batch or model"
        )
      }
      return value
    }
    for r in results {
      energy = energy.adding(r.energy)
      cycles = try sum(cycles, r.cycles, "cycles")
      latency += r.seconds
      macs = try sum(macs, r.macs, "multiply-accumulates")
      operations = try sum(operations, r.operations, "operations")
      for bytes in r.dramRead.values {
        read = try sum(read, bytes, "DRAM bytes read")
      }
      for bytes in r.dramWritten.values {
        written = try sum(written, bytes, "DRAM bytes written")
      }
    }
    guard latency.isFinite, energy.total.isFinite else {
      throw SimulationFailure(
        reason:
          "the run's latency or energy is not a finite number; check the device's figures"
      )
    }
    let batch = Double(options.batch)
    let perInference = energy.scaled(by: 1 / batch)
    let label: String
    switch options.precision {
    case .native: label = "native (\(firstWidths.label))"
    case .uniform(let p): label = p.rawValue
    case .perLayer: label = "per-layer"
    }
    let totals = RunTotals(
      cycles: cycles, latency: latency,
      throughput: latency > 0 ? batch / latency : 0,
      energyPerInference: perInference.total, energy: perInference,
      averagePower: latency > 0 ? energy.total / latency : 0, macs: macs,
      operations: operations,
      operationsPerSecond: latency > 0
        ? (2 * Double(macs) + Double(operations)) / latency : 0,
      macUtilization: latency > 0 && peak > 0
        ? min(1, Double(macs) / (peak * latency)) : 0,
      dramBytesRead: read, dramBytesWritten: written)
    var summary = RunSummary(
      device: device.name, model: network.name, precision: label,
      batch: options.batch,
      clock: device.clock, peakMACsPerSecond: peak, layers: results,
      totals: totals)
    summary.compression = options.compression?.label
    summary.parameters = ParameterPlacement(
      residentBytes: toBytes(parameterBits.resident),
      totalBytes: toBytes(parameterBits.total))
    summary.inference = options.inference
    return summary
  }
}

func toBytes(_ bits: Double) -> Int {
  guard bits.isFinite, bits > 0 else { return 0 }
  return Int(min((bits / 8).rounded(.up), 9.0e18))
}
