import HardwareModel

/// SCALE-Sim 3.0.0's systolic array, restated in closed form: folds,
/// cycles, utilisations and SRAM/DRAM counts of one GEMM on an `R × C`
/// `os`, `ws` or `is` array.
///
/// Every formula follows `scalesim-model.md` (read from SCALE-Sim 3.0.0's
/// source and checked against its reports); `SystolicParityTests` compares
/// each number with SCALE-Sim's own CSV reports. The model is pure: no
/// I/O, no clock, no global state.
///
/// ```swift
/// let gemms = try SystolicArrayModel.lower(
///   SystolicConvShape(ifmapHeight: 32, ifmapWidth: 32, filterHeight: 5,
///                     filterWidth: 5, channels: 1, filters: 6, stride: 1))
/// let report = try SystolicArrayModel.report(
///   gemms[0], array: SystolicArray(rows: 32, columns: 32, dataflow: .os),
///   memory: SystolicMemory(ifmapWords: 65536, filterWords: 65536,
///                          ofmapWords: 65536))
/// // report.computeCycles == 2174, as SCALE-Sim's "Total Cycles"
/// ```
///
/// What it deliberately does not copy: with a finite bandwidth it models a
/// clean double-buffered prefetch (see ``prefetchTiming(_:folding:memory:)``)
/// instead of SCALE-Sim's `USER`-mode read buffer and its quirks.
public enum SystolicArrayModel {
  /// Evaluates one GEMM on an array.
  ///
  /// - Parameters:
  ///   - gemm: The lowered layer (see ``lower(_:depthwise:)``).
  ///   - array: Rows, columns and dataflow (`os`, `ws` or `is`).
  ///   - memory: SRAM sizes in words and the DRAM bandwidth.
  ///   - readModel: How IFMAP/FILTER DRAM reads are counted.
  /// - Returns: Cycles (`F·P − 1 + stalls`), utilisations, SRAM and DRAM
  ///   counts.
  /// - Throws: ``SystolicModelError`` for invalid shapes or overflow.
  /// - Complexity: O(1) with ``SystolicDRAMReadModel/distinctWords`` or when
  ///   operands fit half their SRAM; otherwise O(SRAM reads) for the
  ///   operand that does not fit. The prefetch model is O(F).
  public static func report(
    _ gemm: SystolicGEMM, array: SystolicArray, memory: SystolicMemory,
    readModel: SystolicDRAMReadModel = .scaleSimWindow
  ) throws(SystolicModelError) -> SystolicLayerReport {
    let folding = try SystolicFolding(gemm, array: array)
    let macs = try SystolicMath.product([gemm.e, gemm.k, gemm.m], "MACs")
    let pes = try SystolicMath.multiply(folding.rows, folding.columns, "PEs")
    let base =
      try SystolicMath.multiply(folding.folds, folding.cyclesPerFold, "cycles")
      - 1

    let timing = prefetchTiming(gemm, folding: folding, memory: memory)
    let cycles = try SystolicMath.add(base, timing.stall, "cycles")

    // Mapping efficiency and compute utilisation are unweighted means over
    // folds; over the fold grid the used PEs sum to Sr·Sc.
    let used = Double(folding.spatialRows) * Double(folding.spatialColumns)
    let foldPEs = Double(folding.folds) * Double(pes)
    let mapping = used / foldPEs
    let compute =
      used * Double(folding.temporal)
      / (foldPEs * Double(folding.utilizationCyclesPerFold))
    let overall = Double(macs) / (Double(cycles) * Double(pes))

    let sram = try sramCounts(gemm, folding: folding)
    let stream = SystolicReadStream(gemm: gemm, folding: folding)
    let reads = try stream.dramReads(
      ifmapWords: memory.ifmapWords, filterWords: memory.filterWords,
      model: readModel)
    return SystolicLayerReport(
      folding: folding, computeCycles: cycles, stallCycles: timing.stall,
      fillCycles: timing.fill, drainCycles: timing.drain, macs: macs,
      mappingEfficiency: mapping, computeUtilization: compute,
      overallUtilization: overall,
      sramReads: [.inputs: sram.ifmap, .weights: sram.filter],
      sramWrites: [.outputs: sram.ofmap],
      dramReads: [.inputs: reads.ifmap, .weights: reads.filter],
      dramWrites: [.outputs: sram.ofmapDRAM])
  }

  /// SCALE-Sim's SRAM counts (DETAILED_ACCESS_REPORT) and the OFMAP words
  /// that reach DRAM.
  ///
  /// - `os`: IFMAP `E·K·ceil(M/C)`, FILTER `K·M·ceil(E/R)`, OFMAP
  ///   `E·M + F·(R + C)` (quirk 4: phantom writes; DRAM gets `E·M`).
  /// - `ws`: IFMAP `E·K·ceil(M/C)`, FILTER `K·M`, OFMAP `E·M·ceil(K/R)`.
  /// - `is`: IFMAP `E·K`, FILTER `K·M·ceil(E/C)`, OFMAP `E·M·ceil(K/R)`.
  ///
  /// `ws`/`is` partial sums of every K-fold go to DRAM (quirk 5). SCALE-Sim's
  /// DRAM count can exceed these by less than one `C`-word line per drain
  /// burst (it counts partly filled lines); EdgeSim does not copy that.
  static func sramCounts(_ gemm: SystolicGEMM, folding: SystolicFolding)
    throws(SystolicModelError) -> (
      ifmap: Int, filter: Int, ofmap: Int, ofmapDRAM: Int
    )
  {
    let ek = try SystolicMath.multiply(gemm.e, gemm.k, "input operand")
    let km = try SystolicMath.multiply(gemm.k, gemm.m, "filter operand")
    let em = try SystolicMath.multiply(gemm.e, gemm.m, "output operand")
    let r = folding.rows
    let c = folding.columns
    switch folding.dataflow {
    case .os:
      let phantom = try SystolicMath.multiply(
        folding.folds, r + c, "phantom writes")
      return (
        try SystolicMath.multiply(ek, folding.columnFolds, "IFMAP reads"),
        try SystolicMath.multiply(km, folding.rowFolds, "FILTER reads"),
        try SystolicMath.add(em, phantom, "OFMAP writes"), em
      )
    case .ws:
      let psums = try SystolicMath.multiply(
        em, folding.rowFolds, "OFMAP writes")
      return (
        try SystolicMath.multiply(ek, folding.columnFolds, "IFMAP reads"), km,
        psums, psums
      )
    case .is:
      let psums = try SystolicMath.multiply(
        em, folding.rowFolds, "OFMAP writes")
      return (
        ek, try SystolicMath.multiply(km, folding.columnFolds, "FILTER reads"),
        psums, psums
      )
    case .rs:
      throw .invalidShape("row-stationary arrays are not modelled by SCALE-Sim")
    }
  }
}
