import HardwareModel

/// What the systolic model reports for one GEMM: SCALE-Sim 3.0.0's
/// COMPUTE_REPORT and DETAILED_ACCESS_REPORT columns, plus EdgeSim's own
/// prefetch timing when the bandwidth is finite.
///
/// Utilisations are fractions (SCALE-Sim prints percentages: multiply by 100).
public struct SystolicLayerReport: Hashable, Sendable {
  /// The folding behind the numbers.
  public var folding: SystolicFolding
  /// F, the number of folds.
  public var folds: Int { folding.folds }
  /// P, cycles per fold.
  public var cyclesPerFold: Int { folding.cyclesPerFold }
  /// `F·P − 1 + stallCycles`: SCALE-Sim's "Total Cycles" in `CALC` mode,
  /// where stalls are zero (the −1 is its 0-based last-cycle index, quirk 1).
  public var computeCycles: Int
  /// Cycles the array waits for DRAM (0 with unlimited bandwidth).
  ///
  /// With a finite bandwidth this is EdgeSim's double-buffered prefetch model,
  /// not SCALE-Sim's read buffer (see `Documentation/ScaleSimParity.md`).
  public var stallCycles: Int
  /// Cycles before the first fold can start (first tiles fetched from
  /// DRAM); like SCALE-Sim, excluded from ``computeCycles``.
  public var fillCycles: Int
  /// Cycles after the last fold to drain the last outputs to DRAM;
  /// excluded from ``computeCycles``.
  public var drainCycles: Int
  /// MACs = `E·K·M`.
  public var macs: Int
  /// Unweighted mean over folds of used PEs / all PEs (quirk 7).
  public var mappingEfficiency: Double
  /// Unweighted mean over folds of `used PEs · T / (R·C·Q)` with SCALE-Sim's
  /// `Q` (quirk 6).
  public var computeUtilization: Double
  /// `MACs / (R·C·computeCycles)`, SCALE-Sim's "Overall Util %" / 100.
  public var overallUtilization: Double
  /// SRAM reads by operand (`.inputs`, `.weights`) by the closed forms.
  public var sramReads: [Operand: Int]
  /// SRAM writes by operand (`.outputs`), with SCALE-Sim's `os` phantom
  /// writes and `ws`/`is` partial sums.
  public var sramWrites: [Operand: Int]
  /// DRAM reads by operand (`.inputs`, `.weights`).
  public var dramReads: [Operand: Int]
  /// DRAM writes by operand (`.outputs`).
  public var dramWrites: [Operand: Int]
}
