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
    var cycles = Double(count) * oneCycles / max(1, macsPerPE)
    if packed > 1, let folding = report?.folding {
      cycles =
        packedDepthwiseCycles(folding: folding, groups: count)
        / max(1, macsPerPE)
    }
    // The spatial mapping is the GEMM's, the one timed: rows and columns
    // spread `E = N·P·Q`, `K = C·R·S` or `M` (a depthwise layer's packed
    // channels are `G`), written as the loops that make up that extent so
    // that inner-level traffic is sized by the same mapping.
    let k: [(LoopDimension, Int)] =
      depthwise
      ? [(.g, packed), (.r, nest.kernelRows), (.s, nest.kernelColumns)]
      : [
        (.c, nest.inputChannels), (.r, nest.kernelRows),
        (.s, nest.kernelColumns),
      ]
    let e: [(LoopDimension, Int)] = [
      (.p, nest.outputRows), (.q, nest.outputColumns), (.n, nest.batch),
    ]
    let m: [(LoopDimension, Int)] =
      depthwise ? [] : [(.m, nest.outputChannels)]
    let (sr, sc): ([LoopDimension: Int], [LoopDimension: Int])
    switch array.dataflow {
    case .ws:
      sr = spread(k, over: array.rows)
      sc = spread(m, over: array.columns)
    case .is:
      sr = spread(k, over: array.rows)
      sc = spread(e, over: array.columns)
    default:
      sr = spread(e, over: array.rows)
      sc = spread(m, over: array.columns)
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
      ], deliversOperands: true)
  }

  /// Cycles of a packed depthwise layer: its channel groups stream one
  /// behind the other.
  ///
  /// The groups of a block-diagonal depthwise GEMM are independent: no
  /// partial sum carries from one group to the next, and each group's
  /// outputs leave through its own few columns. While one group streams its
  /// `T` output pixels the next group's weights shift in behind it (the
  /// weight tile is double-buffered, as in the TPU's matrix unit: Jouppi et
  /// al., ISCA 2017, §2), so a group costs `max(T, R)` cycles, and the
  /// layer pays the array's fill and drain (`2R + C − 2`) once instead of
  /// once per group as SCALE-Sim's fold schedule does (`F·(T + 2R + C − 2)
  /// − 1`). Dense GEMMs keep SCALE-Sim's schedule (Documentation/
  /// Validation.md, "The Edge TPU's depthwise layers").
  static func packedDepthwiseCycles(folding: SystolicFolding, groups: Int)
    -> Double
  {
    let folds = Double(folding.folds) * Double(max(1, groups))
    let perFold = Double(max(folding.temporal, folding.rows))
    let skew = Double(2 * folding.rows + folding.columns - 2)
    return folds * perFold + skew - 1
  }

  /// Factors of the loops that make up one GEMM extent spread over units.
  ///
  /// The extent is `K = C·R·S` or `E = N·P·Q`; the order of its loops that
  /// fills the most of `size` units wins, the first listed on ties (a 1×1
  /// convolution's `K` is `C` alone). A flattened extent need not factor
  /// exactly: `K = 3·7·7 = 147` over 32 rows is written `R7·S4` (28 rows
  /// of each fold), the nearest loop-shaped unrolling of the GEMM timed.
  static func spread(_ loops: [(LoopDimension, Int)], over size: Int)
    -> [LoopDimension: Int]
  {
    let orders: [[Int]] =
      switch loops.count {
      case 0: []
      case 1: [[0]]
      case 2: [[0, 1], [1, 0]]
      default:
        [
          [0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0],
        ]
      }
    var best: [LoopDimension: Int] = [:]
    var bestProduct = 0
    for order in orders {
      var product = 1
      var factors: [LoopDimension: Int] = [:]
      for index in order {
        let (dimension, extent) = loops[index]
        let f = min(max(1, extent), max(1, size / product))
        if f > 1 {
          factors[dimension, default: 1] *= f
          product *= f
        }
      }
      if product > bestProduct {
        best = factors
        bestProduct = product
      }
    }
    return best
  }
}
