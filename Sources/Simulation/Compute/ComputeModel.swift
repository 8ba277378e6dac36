import HardwareModel
import Mapping

/// Cycle models of the compute units, one per organisation.
///
/// Every model returns the cycles of a MAC layer with all operands on chip,
/// its spatial unrolling and the accesses the datapath makes to the
/// innermost memory level. Calibration factors (a device's `efficiency`,
/// per operator class) divide the rate. The memory system is modelled by
/// the engine on top.
enum ComputeModel {
  /// Estimates a MAC layer.
  ///
  /// - Parameters:
  ///   - nest: The loop nest.
  ///   - device: The device.
  ///   - rate: The MAC rate of one unit at the layer's widths.
  ///   - efficiency: The calibration factor, in (0, 1].
  ///   - depthwise: Whether the layer is depthwise (SCALE-Sim lowers it to
  ///     one GEMM per channel).
  /// - Returns: The layer's cycles, utilisation and buffer accesses on the
  ///   device's compute.
  static func estimate(
    nest: LoopNest, device: Device, rate: ExecutionRate, efficiency: Double,
    depthwise: Bool
  ) -> ComputeEstimate {
    var estimate: ComputeEstimate
    switch device.compute.organisation {
    case .vector(let cores):
      estimate = vector(
        nest: nest, cores: cores.cores, lanes: rate.macsPerUnitPerCycle,
        depthwise: depthwise)
    case .shader(let gpu):
      estimate = shader(
        nest: nest, cores: gpu.cores, lanes: rate.macsPerUnitPerCycle)
    case .array(let array):
      if array.dataflow == .rs {
        estimate = rowStationary(
          nest: nest, array: array, macsPerPE: rate.macsPerUnitPerCycle)
      } else {
        estimate = systolic(
          nest: nest, array: array, device: device,
          macsPerPE: rate.macsPerUnitPerCycle, depthwise: depthwise)
      }
    case .dsp(let dsp):
      estimate = fpga(
        nest: nest, dsp: dsp, macsPerDSP: rate.macsPerUnitPerCycle,
        depthwise: depthwise)
    }
    let macs = Double(nest.macs ?? Int.max)
    // Never faster than the peak rate.
    estimate.cycles = max(
      estimate.cycles, macs / max(estimate.peakMACsPerCycle, 1e-300))
    estimate.cycles /= min(1, max(efficiency, 1e-6))
    return estimate
  }

  /// CPU and MCU cores with SIMD lanes (`lanes` = MACs per cycle per core,
  /// for example 32 int8 MACs for two NEON pipes with SDOT, 2 for Cortex-M4 SMLAD).
  ///
  /// The GEMM view per group (E = N·P·Q rows, K = C·R·S, M columns) is
  /// vectorised as an output-channel micro-kernel: `a = min(M, L)` lanes
  /// over M and the remaining `b = min(K, L / a)` over K (dot-product
  /// instructions); cores split the output rows N·P. A depthwise layer
  /// vectorises over channels (G) instead. Lane and core under-use when M,
  /// K or the rows do not divide evenly is the utilisation.
  static func vector(nest: LoopNest, cores: Int, lanes: Double, depthwise: Bool)
    -> ComputeEstimate
  {
    let lanesInt = max(1, Int(saturating: lanes.rounded(.down)))
    let mv = depthwise ? nest.groups : nest.outputChannels
    let kv = nest.inputChannels * nest.kernelRows * nest.kernelColumns
    let a = min(mv, lanesInt)
    let b = min(kv, max(1, lanesInt / a))
    let laneSteps = Double(ceilDiv(mv, a)) * Double(ceilDiv(kv, b))
    let rows = nest.batch * nest.outputRows
    let coreSteps = Double(ceilDiv(rows, max(1, cores)))
    let groupsTemporal = depthwise ? 1 : nest.groups
    let cycles =
      Double(groupsTemporal) * coreSteps * Double(nest.outputColumns)
      * laneSteps
      * (lanes / Double(lanesInt))
    let macs = Double(nest.macs ?? Int.max)
    let peak = lanes * Double(max(1, cores))
    let unrolling = SpatialUnrolling(
      axes: [
        SpatialAxis(
          name: "cores", size: cores, factors: [.p: min(cores, rows)]),
        SpatialAxis(
          name: "lanes", size: lanesInt,
          factors: depthwise ? [.g: a] : [.m: a, .c: b]),
      ], utilization: macs / max(1, cycles * peak))
    let outputs = nest.elements(.outputs)
    return ComputeEstimate(
      cycles: cycles, unrolling: unrolling, peakMACsPerCycle: peak,
      reads: [
        .weights: macs / max(1, Double(min(4, nest.outputColumns))),
        .inputs: macs / Double(depthwise ? 1 : a), .outputs: 0,
      ],
      writes: [.weights: 0, .inputs: 0, .outputs: outputs])
  }

  /// GPU shader cores × ALUs (`lanes` = MACs per cycle per core at the
  /// precision: fp32 ALUs, doubled for fp16).
  ///
  /// One thread per output element (G·N·M·P·Q threads), each looping over
  /// its window K = C·R·S, dispatched in waves over all lanes; the last,
  /// partial wave is the under-use. This is the direct-convolution mapping
  /// of mobile GPU delegates (TFLite GPU, Lee et al., "On-device neural
  /// net inference with mobile GPUs", 2019).
  static func shader(nest: LoopNest, cores: Int, lanes: Double)
    -> ComputeEstimate
  {
    let total = max(
      1, Int(saturating: (lanes * Double(max(1, cores))).rounded(.down)))
    let outputs = nest.elements(.outputs)
    let waves = (outputs / Double(total)).rounded(.up)
    let k = Double(nest.inputChannels * nest.kernelRows * nest.kernelColumns)
    let cycles = waves * k
    let macs = Double(nest.macs ?? Int.max)
    let perCore = max(1, total / max(1, cores))
    let unrolling = SpatialUnrolling(
      axes: [
        SpatialAxis(
          name: "cores", size: cores, factors: [.p: min(cores, nest.outputRows)]
        ),
        SpatialAxis(
          name: "alus", size: perCore,
          factors: [
            .m: min(perCore, nest.outputChannels),
            .q: max(
              1,
              min(
                nest.outputColumns,
                perCore / max(1, min(perCore, nest.outputChannels)))),
          ]),
      ], utilization: macs / max(1, cycles * Double(total)))
    return ComputeEstimate(
      cycles: cycles, unrolling: unrolling,
      peakMACsPerCycle: lanes * Double(max(1, cores)),
      reads: [.weights: macs / 4, .inputs: macs / 4, .outputs: 0],
      writes: [.weights: 0, .inputs: 0, .outputs: outputs])
  }

  static func ceilDiv(_ a: Int, _ b: Int) -> Int {
    let b = max(1, b)
    return a / b + (a % b == 0 ? 0 : 1)
  }
}
