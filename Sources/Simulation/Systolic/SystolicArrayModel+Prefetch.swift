/// Cycles a double-buffered systolic layer spends waiting for DRAM.
public struct SystolicPrefetchTiming: Hashable, Sendable {
  /// Cycles before fold 0 can start: its tiles fetched from DRAM.
  public var fill: Int
  /// Cycles the array waits between folds (added to the compute cycles).
  public var stall: Int
  /// Cycles after the last fold to write its outputs to DRAM.
  public var drain: Int
}

extension SystolicArrayModel {
  /// EdgeSim's clean double-buffered prefetch model for a finite DRAM
  /// bandwidth (the analogue of SCALE-Sim's `USER` mode, not a copy of it).
  ///
  /// Fold `j + 1`'s IFMAP and FILTER tiles are fetched while fold `j`
  /// computes, and fold `j`'s outputs drain while fold `j + 1` computes, so
  /// the stall before fold `j + 1` is
  /// `max(0, fetch(j + 1) − P, drain(j) − P)` with
  /// `fetch = (IFMAP + FILTER tile words) / read bandwidth` and
  /// `drain = output words / write bandwidth`, rounded up to whole cycles.
  /// Fold 0's fetch (``SystolicPrefetchTiming/fill``) and the last fold's
  /// drain (``SystolicPrefetchTiming/drain``) are reported separately, as
  /// SCALE-Sim leaves its initial fill and final drain out of "Total
  /// Cycles".
  ///
  /// Tile words per fold: `os` IFMAP `usedR·K`, FILTER `K·usedC`, outputs
  /// `usedR·usedC`; `ws` IFMAP `E·usedR`, FILTER `usedR·usedC`, partial sums
  /// `E·usedC`; `is` IFMAP `usedR·usedC`, FILTER `usedR·M`, partial sums
  /// `usedC·M`. An operand whose distinct words fit half its SRAM is
  /// fetched once: each fold fetches at most what has not been fetched yet,
  /// so a larger SRAM or more bandwidth never adds cycles. Unlike
  /// SCALE-Sim's `USER` mode there is no doubled positive stall, no negative
  /// "potential stall", no ring-prefetch thrashing and no im2col
  /// duplicates in the fetched stream (see `Documentation/ScaleSimParity.md`).
  ///
  /// - Complexity: O(F).
  public static func prefetchTiming(
    _ gemm: SystolicGEMM, folding: SystolicFolding, memory: SystolicMemory
  ) -> SystolicPrefetchTiming {
    guard case .wordsPerCycle(let readBW, let writeBW) = memory.bandwidth,
      readBW > 0, writeBW > 0
    else { return SystolicPrefetchTiming(fill: 0, stall: 0, drain: 0) }
    let stream = SystolicReadStream(gemm: gemm, folding: folding)
    let ifmapDistinct = Double((try? stream.distinctIfmapWords()) ?? Int.max)
    let filterDistinct = Double((try? stream.distinctFilterWords()) ?? Int.max)
    var ifmapLeft =
      ifmapDistinct <= Double(memory.ifmapWords / 2) ? ifmapDistinct : .infinity
    var filterLeft =
      filterDistinct <= Double(memory.filterWords / 2)
      ? filterDistinct : .infinity
    let e = Double(gemm.e)
    let k = Double(gemm.k)
    let m = Double(gemm.m)
    let p = Double(folding.cyclesPerFold)
    var fill = 0.0
    var stall = 0.0
    var previousDrain = 0.0
    var first = true
    for fc in 0..<folding.columnFolds {
      let usedC = Double(folding.usedColumns(columnFold: fc))
      for fr in 0..<folding.rowFolds {
        let usedR = Double(folding.usedRows(rowFold: fr))
        let tiles: (ifmap: Double, filter: Double, out: Double)
        switch folding.dataflow {
        case .os: tiles = (usedR * k, k * usedC, usedR * usedC)
        case .ws: tiles = (e * usedR, usedR * usedC, e * usedC)
        case .is: tiles = (usedR * usedC, usedR * m, usedC * m)
        case .rs: tiles = (0, 0, 0)
        }
        let ifmap = min(tiles.ifmap, ifmapLeft)
        let filter = min(tiles.filter, filterLeft)
        ifmapLeft -= ifmap
        filterLeft -= filter
        let fetch = ((ifmap + filter) / readBW).rounded(.up)
        if first {
          fill = fetch
          first = false
        } else {
          stall += max(0, fetch - p, previousDrain - p)
        }
        previousDrain = (tiles.out / writeBW).rounded(.up)
      }
    }
    func cycles(_ value: Double) -> Int {
      value < Double(Int.max) ? Int(value) : Int.max
    }
    return SystolicPrefetchTiming(
      fill: cycles(fill), stall: cycles(stall), drain: cycles(previousDrain))
  }
}
