import HardwareModel
import Mapping

extension ComputeModel {
  /// Eyeriss' row-stationary dataflow (Chen, Emer, Sze, ISCA 2016; Chen et
  /// al., JSSC 2017 §IV) on an H×W PE array.
  ///
  /// Mapping: for each (image, filter, channel) triple, a *logical PE set*
  /// of `R'` rows × `w` columns computes a 2-D convolution: PE (i, j) runs
  /// the 1-D convolution of filter row i over input row `j·stride + i`,
  /// producing partial sums of output row j; partial sums flow up the
  /// column and add over the R rows. Filter rows are reused across a PE
  /// row (horizontal), input rows along diagonals, partial sums vertically.
  /// - `R' = min(R, H)`, with ⌈R/H⌉ folds when a filter is taller than the
  ///   array; `w = min(P, W)` output rows, with ⌈P/W⌉ strips of output rows.
  /// - ⌊H/R'⌋ × ⌊W/w⌋ sets fit side by side; replicas work on different
  ///   filters (vertically) and channels (horizontally), as Eyeriss does for
  ///   AlexNet CONV3-5.
  /// - A pass lasts `Q·S` cycles (each PE produces Q outputs of S taps);
  ///   passes = ⌈sets needed / sets that fit⌉.
  ///
  /// On AlexNet this gives 154 active PEs for CONV1 (11 × 14), 140 for CONV2
  /// (2 sets of 5 × 14) and 156 for CONV3-5 (4 sets of 3 × 13): JSSC 2017
  /// Table V reports 154, 135 and 156. The pass-to-pass fill of the psum
  /// chain (R' + w cycles) is amortised over the channels a PE's filter
  /// scratchpad holds; it is not modelled. The passes are the array's model
  /// of operand delivery from the PEs' scratchpads, so the engine does not
  /// time those accesses again (the scratchpads' fills from the GLB are
  /// still timed).
  static func rowStationary(
    nest: LoopNest, array: SystolicArray, macsPerPE: Double
  ) -> ComputeEstimate {
    let h = max(1, array.rows)
    let wArray = max(1, array.columns)
    let rPrime = min(nest.kernelRows, h)
    let width = min(nest.outputRows, wArray)
    let rFolds = ceilDiv(nest.kernelRows, h)
    let strips = ceilDiv(nest.outputRows, wArray)
    let vertical = max(1, h / rPrime)
    let horizontal = max(1, wArray / width)
    let perPass = vertical * horizontal
    let triples =
      Double(nest.groups) * Double(nest.batch) * Double(nest.outputChannels)
      * Double(nest.inputChannels)
    let sets = triples * Double(rFolds) * Double(strips)
    let passes = (sets / Double(perPass)).rounded(.up)
    let cycles =
      passes * Double(nest.outputColumns) * Double(nest.kernelColumns)
      / max(1, macsPerPE)
    let macs = Double(nest.macs ?? Int.max)
    let peak = Double(h * wArray) * macsPerPE
    let unrolling = SpatialUnrolling(
      axes: [
        SpatialAxis(
          name: "rows", size: h,
          factors: [.r: rPrime, .m: min(vertical, nest.outputChannels)]),
        SpatialAxis(
          name: "columns", size: wArray,
          factors: [.p: width, .c: min(horizontal, nest.inputChannels)]),
      ], utilization: macs / max(1, cycles * peak))
    return ComputeEstimate(
      cycles: cycles, unrolling: unrolling, peakMACsPerCycle: peak,
      reads: [
        .weights: macs / unrolling.reuse(of: .weights),
        .inputs: macs / unrolling.reuse(of: .inputs),
        .outputs: macs / unrolling.reuse(of: .outputs),
      ],
      writes: [
        .weights: 0, .inputs: 0, .outputs: macs / unrolling.reuse(of: .outputs),
      ], deliversOperands: true)
  }
}
