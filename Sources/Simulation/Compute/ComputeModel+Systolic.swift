import HardwareModel
import Mapping

extension ComputeModel {
  /// A SCALE-Sim-style systolic array with an `os`, `ws` or `is` dataflow.
  ///
  /// Each group is lowered to a GEMM (E = N·P·Q output pixels, K = C·R·S,
  /// M filters); a depthwise layer to one GEMM per channel (K = R·S, M = 1),
  /// as SCALE-Sim 3.0.0 does for `DP` layers. Folds run one after another,
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
  /// SRAM accesses follow SCALE-Sim's closed forms (without its phantom
  /// output writes).
  static func systolic(
    nest: LoopNest, array: SystolicArray, macsPerPE: Double, depthwise: Bool
  ) -> ComputeEstimate {
    let gemm = nest.gemm
    let count = nest.groups
    let one = FoldArithmetic.report(
      e: gemm.e, k: gemm.k, m: gemm.m, rows: array.rows, columns: array.columns,
      dataflow: array.dataflow)
    let cycles = Double(count) * Double(one.cycles) / max(1, macsPerPE)
    let (sr, sc): ([LoopDimension: Int], [LoopDimension: Int])
    let eFactors: [LoopDimension: Int] = [.p: min(nest.outputRows, array.rows), .q: 1]
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
      ], utilization: one.mappingEfficiency)
    let g = Double(count)
    return ComputeEstimate(
      cycles: cycles, unrolling: unrolling,
      peakMACsPerCycle: Double(array.rows * array.columns) * macsPerPE,
      reads: [.weights: g * one.filterReads, .inputs: g * one.ifmapReads, .outputs: g * one.ofmapReads],
      writes: [.weights: 0, .inputs: 0, .outputs: g * one.ofmapWrites], exactArrayAccesses: true)
  }
}

/// SCALE-Sim 3.0.0's fold arithmetic for one GEMM (see
/// `shared/data/scalesim-model.md`, "Cycle model").
enum FoldArithmetic {
  struct Report: Hashable, Sendable {
    var folds: Int
    var cyclesPerFold: Int
    var cycles: Int
    var mappingEfficiency: Double
    var ifmapReads: Double
    var filterReads: Double
    var ofmapWrites: Double
    var ofmapReads: Double
  }

  static func report(e: Int, k: Int, m: Int, rows: Int, columns: Int, dataflow: Dataflow) -> Report {
    let r = max(1, rows)
    let c = max(1, columns)
    let (sr, sc, t): (Int, Int, Int)
    switch dataflow {
    case .ws: (sr, sc, t) = (k, m, e)
    case .is: (sr, sc, t) = (k, e, m)
    default: (sr, sc, t) = (e, m, k)
    }
    let folds = ComputeModel.ceilDiv(sr, r) * ComputeModel.ceilDiv(sc, c)
    let perFold = dataflow == .os ? t + r + c - 2 : t + 2 * r + c - 2
    let cycles = max(0, folds * perFold - 1)
    let efficiency = Double(sr) * Double(sc) / (Double(folds) * Double(r * c))
    let (E, K, M) = (Double(e), Double(k), Double(m))
    let kFolds = Double(ComputeModel.ceilDiv(k, r))
    switch dataflow {
    case .ws:
      return Report(
        folds: folds, cyclesPerFold: perFold, cycles: cycles, mappingEfficiency: efficiency,
        ifmapReads: E * K * Double(ComputeModel.ceilDiv(m, c)), filterReads: K * M,
        ofmapWrites: E * M * kFolds, ofmapReads: E * M * (kFolds - 1))
    case .is:
      return Report(
        folds: folds, cyclesPerFold: perFold, cycles: cycles, mappingEfficiency: efficiency,
        ifmapReads: E * K, filterReads: K * M * Double(ComputeModel.ceilDiv(e, c)),
        ofmapWrites: E * M * kFolds, ofmapReads: E * M * (kFolds - 1))
    default:
      return Report(
        folds: folds, cyclesPerFold: perFold, cycles: cycles, mappingEfficiency: efficiency,
        ifmapReads: E * K * Double(ComputeModel.ceilDiv(m, c)),
        filterReads: K * M * Double(ComputeModel.ceilDiv(e, r)), ofmapWrites: E * M,
        ofmapReads: 0)
    }
  }
}
