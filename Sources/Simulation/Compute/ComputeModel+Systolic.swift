import HardwareModel
import Mapping

extension ComputeModel {
  /// A SCALE-Sim-style systolic array with an `os`, `ws` or `is` dataflow.
  ///
  /// Each group is lowered to a GEMM (E = N·P·Q output pixels, K = C·R·S,
  /// M filters); a depthwise layer to one GEMM per channel (K = R·S, M = 1),
  /// as SCALE-Sim 3.0.0 does for `DP` layers — on devices without SCALE-Sim's
  /// partitioned SRAMs a weight-stationary array packs ⌊rows / K⌋ channels
  /// per block-diagonal GEMM instead. Folds run one after another,
  /// each paying the array's fill and drain; the cycle count of a GEMM is
  /// SCALE-Sim's "Total Cycles" in CALC mode, `F·P − 1`
  /// (`shared/data/scalesim-model.md`):
  ///
  /// | dataflow | rows | columns | temporal T | folds F | cycles per fold P |
  /// |---|---|---|---|---|---|
  /// | os | E | M | K | ⌈E/R⌉·⌈M/C⌉ | T + R + C − 2 |
  /// | ws | K | M | E | ⌈K/R⌉·⌈M/C⌉ | T + 2R + C − 2 |
  /// | is | K | E | M | ⌈K/R⌉·⌈E/C⌉ | T + 2R + C − 2 |
  ///
  /// The cycles, mapping efficiency and SRAM accesses come from
  /// ``SystolicArrayModel`` (SCALE-Sim-exact, CALC mode: DRAM is modelled
  /// by the engine's timeline instead). The fold schedule is the array's
  /// model of operand delivery (one word per row and column edge per
  /// cycle), so the engine does not bound it again by the SRAM's bandwidth.
  static func systolic(
    nest: LoopNest, array: SystolicArray, device: Device, macsPerPE: Double,
    depthwise: Bool
  ) -> ComputeEstimate {
    var gemm = nest.gemm
    var count = nest.groups
    let scaleSimMemory = SystolicMemory(device: device)
    // Depthwise on a weight-stationary array that is not a SCALE-Sim
    // configuration: the compiler packs ⌊rows / K⌋ channels into one
    // block-diagonal GEMM (each channel's R·S taps on its own rows, its
    // output on its own column), as TPU-style compilers lower depthwise
    // convolutions, instead of one nearly empty fold per channel.
    let packed =
      depthwise && scaleSimMemory == nil && array.dataflow == .ws
      ? max(1, min(count, array.rows / max(1, gemm.k))) : 1
    if packed > 1 {
      count = ceilDiv(count, packed)
      gemm = (e: gemm.e, k: gemm.k * packed, m: gemm.m * packed)
    }
    let memory =
      scaleSimMemory
      ?? SystolicMemory(
        ifmapWords: 1 << 30, filterWords: 1 << 30, ofmapWords: 1 << 30)
    var calc = memory
    calc.bandwidth = .unlimited
    let report = try? SystolicArrayModel.report(
      SystolicGEMM(e: gemm.e, k: gemm.k, m: gemm.m), array: array, memory: calc,
      readModel: .distinctWords)
    let macsPerGroup = Double(gemm.e) * Double(gemm.k) * Double(gemm.m)
    let pes = Double(array.rows * array.columns)
    let oneCycles =
      report.map { Double($0.computeCycles) } ?? macsPerGroup / max(1, pes)
    let cycles = Double(count) * oneCycles / max(1, macsPerPE)
    let (sr, sc): ([LoopDimension: Int], [LoopDimension: Int])
    let eFactors: [LoopDimension: Int] = [
      .p: min(nest.outputRows, array.rows), .q: 1,
    ]
    switch array.dataflow {
    case .ws:
      sr = [.c: min(nest.inputChannels, array.rows)]
      sc = [.m: min(nest.outputChannels, array.columns)]
    case .is:
      sr = [.c: min(nest.inputChannels, array.rows)]
      sc = [.p: min(nest.outputRows, array.columns)]
    default:
      sr = eFactors
      sc = [.m: min(nest.outputChannels, array.columns)]
    }
    let unrolling = SpatialUnrolling(
      axes: [
        SpatialAxis(name: "rows", size: array.rows, factors: sr),
        SpatialAxis(name: "columns", size: array.columns, factors: sc),
      ], utilization: report?.mappingEfficiency ?? 1)
    let g = Double(count)
    return ComputeEstimate(
      cycles: cycles, unrolling: unrolling,
      peakMACsPerCycle: Double(array.rows * array.columns) * macsPerPE,
      reads: [
        .weights: g * Double(report?.sramReads[.weights] ?? 0),
        .inputs: g * Double(report?.sramReads[.inputs] ?? 0), .outputs: 0,
      ],
      writes: [
        .weights: 0, .inputs: 0,
        .outputs: g * Double(report?.sramWrites[.outputs] ?? 0),
      ], exactArrayAccesses: true, deliversOperands: true)
  }
}
