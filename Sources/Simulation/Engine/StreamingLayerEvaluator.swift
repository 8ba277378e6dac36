import HardwareModel
import Mapping

/// Times pooling, element-wise, activation and softmax layers on the unit
/// that runs them, streaming their operands through the staging level.
///
/// Rates (element operations per cycle): CPU and MCU cores × SIMD lanes at
/// the precision; GPU shader cores × ALUs; an NPU's post-processing lanes,
/// one per array column (SCALE-Sim's output width, the Edge TPU's and
/// Eyeriss' activation units); an FPGA's PEs × convolvers (Qiu's pooling
/// and non-linearity units sit beside each PE) or its DSP count. A
/// calibration factor of the operator class divides the rate. A fused
/// activation moves no data; on an NPU or FPGA its dedicated unit works in
/// the producer's shadow (no extra time), on a CPU, GPU or MCU the same
/// cores spend the cycles.
struct StreamingLayerEvaluator {
  let plan: HierarchyPlan
  let options: SimulationOptions

  var device: Device { plan.device }

  static func operationsPerCycle(device: Device, rate: ExecutionRate) -> Double
  {
    switch device.compute.organisation {
    case .vector(let v):
      return Double(max(1, v.cores)) * max(1, rate.macsPerUnitPerCycle)
    case .shader(let s):
      return Double(max(1, s.cores)) * max(1, rate.macsPerUnitPerCycle)
    case .array(let a): return Double(max(1, a.columns))
    case .dsp(let d):
      if let org = d.organisation {
        return Double(max(1, org.processingElements * org.convolversPerPE))
      }
      return Double(max(1, d.dspSlices))
    }
  }

  func evaluate(
    _ context: LayerContext, operations: Int, inputBits: Double,
    inputDRAMBits: Double, inputCodedBits: Double
  ) -> Result<LayerEvaluation, SimulationFailure> {
    let layer = context.layer
    let levels = device.memory.count
    let rate = Self.operationsPerCycle(device: device, rate: context.rate)
    var compute =
      Double(operations) / rate / min(1, max(context.efficiency, 1e-6))
    var reads = [[Operand: Double]](repeating: [:], count: levels)
    var writes = [[Operand: Double]](repeating: [:], count: levels)
    if layer.fusedInto != nil {
      if device.compute.organisation.runsFusedActivationsInShadow {
        compute = 0
      }
      let group = TileGroup(
        firstTile: 0, tiles: 1, inCycles: 0, computeCycles: compute,
        outCycles: 0, inBytes: 0,
        outBytes: 0, macs: 0)
      let timeline = Timeline.run([group], buffers: 1, sharedChannel: false)
      return .success(
        LayerEvaluation(
          makespan: timeline.makespan, groups: [group], timeline: timeline,
          dramReadBits: [:],
          dramWriteBits: [:], levelReads: reads, levelWrites: writes,
          computeCycles: compute,
          levelCycles: [Double](repeating: 0, count: levels), dramCycles: 0,
          tileCount: 1,
          mapping: "fused into \(layer.fusedInto ?? "")", spatialUtilization: 1,
          peakMACsPerCycle: 0, bufferBits: 0))
    }
    let outputBits =
      Double(layer.output.elements) * Double(context.bits.outputs)
    let outputToDRAM =
      !context.resident.contains(.outputs) && plan.usesBackingStore(.outputs)
    let outRaw = outputToDRAM ? outputBits : 0
    // What crosses the backing-store port: coded (`DRAMScale`); the tiles
    // on chip hold raw values.
    let outDRAM = outRaw * context.dram.outputs
    let inDRAM = inputCodedBits
    var tiles = 1
    var usable = Double.infinity
    let staging = plan.staging[.inputs] ?? plan.staging[.outputs]
    if let staging {
      let reserved =
        plan.residentLevel?.index == staging ? context.reservedBits : 0
      let budget = plan.budget(
        level: staging, operands: [.inputs, .outputs], reservedBits: reserved)
      switch budget.pool {
      case .shared(let bits): usable = bits
      case .partitioned(let parts):
        usable = min(parts[.inputs] ?? 0, parts[.outputs] ?? 0) * 2
      }
      let footprint = inputDRAMBits + (outputToDRAM ? outputBits : 0)
      if footprint > 0 {
        guard usable > 0 else {
          return .failure(
            SimulationFailure(
              reason:
                "no on-chip memory is left for \(layer.opType)'s tiles (\(bytes(context.reservedBits)) held by activations kept on chip)",
              layer: layer.name))
        }
        if usable.isFinite {
          let needed = (footprint / usable).rounded(.up)
          tiles = Int(min(needed, Double(1 << 40)))
        }
      }
      writes[staging][.inputs, default: 0] += inputDRAMBits
      reads[staging][.inputs, default: 0] += inputBits
      writes[staging][.outputs, default: 0] += outputBits
      reads[staging][.outputs, default: 0] += outRaw
    }
    if inDRAM > 0 { reads[0][.inputs, default: 0] += inDRAM }
    if outDRAM > 0 { writes[0][.outputs, default: 0] += outDRAM }
    var levelCycles = [Double](repeating: 0, count: levels)
    for index in 0..<levels where index != device.backingStoreIndex {
      levelCycles[index] = plan.levelCycles(
        index, readBits: reads[index].values.reduce(0, +),
        writeBits: writes[index].values.reduce(0, +))
    }
    let busy = max(compute, levelCycles.max() ?? 0)
    let readBPC = plan.bytesPerCycle(device.backingStoreIndex, write: false)
    let writeBPC = plan.bytesPerCycle(device.backingStoreIndex, write: true)
    let latency = device.backingStore.latency * device.clock
    let bounds = groupBoundaries(count: tiles, limit: options.maximumTileGroups)
    var groups: [TileGroup] = []
    for j in 0..<(bounds.count - 1) where bounds[j + 1] > bounds[j] {
      let share = Double(bounds[j + 1] - bounds[j]) / Double(tiles)
      let inBits = inDRAM * share
      let outBits = outDRAM * share
      groups.append(
        TileGroup(
          firstTile: bounds[j], tiles: bounds[j + 1] - bounds[j],
          inCycles: inBits > 0 ? latency + finite(inBits / 8 / readBPC) : 0,
          computeCycles: busy * share,
          outCycles: outBits > 0 ? latency + finite(outBits / 8 / writeBPC) : 0,
          inBytes: inBits / 8, outBytes: outBits / 8, macs: 0))
    }
    let buffers = staging.map { device.memory[$0].doubleBuffered ? 2 : 1 } ?? 1
    let shared = device.backingStore.sharedPort
    let timeline = Timeline.run(groups, buffers: buffers, sharedChannel: shared)
    let dramIn = finite(inDRAM / 8 / readBPC)
    let dramOut = finite(outDRAM / 8 / writeBPC)
    return .success(
      LayerEvaluation(
        makespan: timeline.makespan, groups: groups, timeline: timeline,
        dramReadBits: [.inputs: inDRAM],
        dramWriteBits: [.outputs: outDRAM],
        levelReads: reads, levelWrites: writes, computeCycles: compute,
        levelCycles: levelCycles,
        dramCycles: shared ? dramIn + dramOut : max(dramIn, dramOut),
        tileCount: tiles,
        mapping:
          "streaming, \(tiles) tile\(tiles == 1 ? "" : "s"), \(Int(saturating: rate)) ops/cycle",
        spatialUtilization: 1, peakMACsPerCycle: 0,
        bufferBits: usable.isFinite
          ? min(usable, inputDRAMBits + outRaw) : inputDRAMBits + outRaw))
  }
}
