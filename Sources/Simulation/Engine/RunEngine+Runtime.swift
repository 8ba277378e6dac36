import HardwareModel
import Mapping

extension RunEngine {
  /// A layer evaluation retimed by the device's per-operator execution model
  /// (``KernelModel``): one device, one model of time.
  ///
  /// The evaluation's accesses, DRAM traffic and mapping stay (they give the
  /// energy and the report); its timeline becomes one compute span of the
  /// kernel's time, and the bound is the larger of the kernel's arithmetic
  /// (with dispatch) and its memory time at the level it was charged to.
  /// `time` is the kernel's (``KernelModel/time(_:runtime:pool:)``).
  func retimed(
    _ e: LayerEvaluation, work: KernelWork, time: KernelModel.Time
  ) -> LayerEvaluation {
    let clock = device.clock
    var result = e
    let group = TileGroup(
      firstTile: 0, tiles: max(1, e.tileCount), inCycles: 0,
      computeCycles: time.total * clock, outCycles: 0,
      inBytes: e.dramReadBits.values.reduce(0, +) / 8,
      outBytes: e.dramWriteBits.values.reduce(0, +) / 8,
      macs: e.groups.reduce(0) { $0 + $1.macs })
    result.groups = [group]
    result.timeline = Timeline.run([group], buffers: 1, sharedChannel: false)
    result.makespan = result.timeline.makespan
    result.computeCycles =
      (time.dispatch + time.wake + time.packing + time.compute) * clock
    result.levelCycles = [Double](repeating: 0, count: device.memory.count)
    result.dramCycles = 0
    if work.level == device.backingStoreIndex {
      result.dramCycles = time.memory * clock
    } else if result.levelCycles.indices.contains(work.level) {
      result.levelCycles[work.level] = time.memory * clock
    }
    result.mapping = e.mapping + "; " + Self.kernelSummary(work, time)
    return result
  }

  /// An accelerator's layer evaluation with its runtime's fixed per-layer
  /// time (``RuntimeModel/dispatchSeconds``) before the array's own time:
  /// the layer is issued, then its tiles run as the array's model times
  /// them.
  func withLayerOverhead(_ e: LayerEvaluation, runtime: RuntimeModel)
    -> LayerEvaluation
  {
    let cycles = runtime.dispatchSeconds * device.clock
    guard cycles > 0 else { return e }
    var result = e
    result.timeline.inStart = e.timeline.inStart.map { $0 + cycles }
    result.timeline.computeStart = e.timeline.computeStart.map { $0 + cycles }
    result.timeline.outStart = e.timeline.outStart.map { $0 + cycles }
    result.timeline.makespan += cycles
    result.timeline.computeBusy += cycles
    result.makespan += cycles
    result.computeCycles += cycles
    let tenths = (runtime.dispatchSeconds * 1e7).rounded()
    result.mapping =
      e.mapping + "; layer overhead \(Int(tenths) / 10).\(Int(tenths) % 10) us"
    return result
  }

  /// A view's result with the time of its copy kernel (Concat, Transpose).
  func retimed(
    _ r: LayerResult, work: KernelWork, time: KernelModel.Time
  ) -> LayerResult {
    guard time.total > 0 else { return r }
    var result = r
    let cycles = (time.total * device.clock).rounded(.up)
    result.cycles = Int(cycles)
    result.seconds = cycles / device.clock
    result.energy.staticEnergy = device.staticPower * result.seconds
    result.bound =
      time.memory > time.dispatch
      ? (work.level == device.backingStoreIndex
        ? .dram : .onChip(device.memory[work.level].name))
      : .compute
    result.mapping = "view; " + Self.kernelSummary(work, time)
    return result
  }

  static func kernelSummary(_ work: KernelWork, _ time: KernelModel.Time)
    -> String
  {
    func us(_ seconds: Double) -> String {
      let tenths = (seconds * 1e7).rounded()
      return "\(Int(tenths) / 10).\(Int(tenths) % 10) us"
    }
    let kind =
      work.kind == .dense
      ? "\(work.kind.rawValue) \(work.shape.rawValue)" : work.kind.rawValue
    let packing = time.packing > 0 ? ", packing \(us(time.packing))" : ""
    let wake = time.wake > 0 ? ", wake \(us(time.wake))" : ""
    let reference =
      work.referenceCycles > 0
      ? "reference \(Int(work.referenceCycles.rounded())) cycles, " : ""
    return
      "kernel \(kind): \(reference)dispatch \(us(time.dispatch))\(wake)\(packing), compute \(us(time.compute)), memory \(us(time.memory))"
  }
}
