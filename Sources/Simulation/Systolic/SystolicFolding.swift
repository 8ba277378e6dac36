import HardwareModel

/// How SCALE-Sim 3.0.0 folds a GEMM onto an `R × C` array for one dataflow.
///
/// | dataflow | Sr | Sc | T | folds F | cycles per fold P |
/// |---|---|---|---|---|---|
/// | os | E | M | K | ceil(E/R)·ceil(M/C) | T + R + C − 2 |
/// | ws | K | M | E | ceil(K/R)·ceil(M/C) | T + 2R + C − 2 |
/// | is | K | E | M | ceil(K/R)·ceil(E/C) | T + 2R + C − 2 |
///
/// Folds run one after another, column folds outermost, and edge folds cost
/// the full `P` (`scalesim-model.md`, "Cycle model", quirk 3).
public struct SystolicFolding: Hashable, Sendable {
  /// The dataflow (`os`, `ws` or `is`).
  public var dataflow: Dataflow
  /// Array rows R and columns C.
  public var rows: Int, columns: Int
  /// The GEMM dimension spread over the array rows (Sr).
  public var spatialRows: Int
  /// The GEMM dimension spread over the array columns (Sc).
  public var spatialColumns: Int
  /// The temporal dimension T.
  public var temporal: Int
  /// `ceil(Sr / R)`.
  public var rowFolds: Int
  /// `ceil(Sc / C)`.
  public var columnFolds: Int
  /// F = rowFolds · columnFolds.
  public var folds: Int
  /// P: cycles of one fold, fill and drain included.
  public var cyclesPerFold: Int
  /// The per-fold cycle count SCALE-Sim divides by for "Compute Util %":
  /// P for `os`, but `T + 2R + 2C − 3` (one extra C − 1) for `ws` and `is`
  /// (quirk 6).
  public var utilizationCyclesPerFold: Int

  /// Folds `gemm` onto `array`.
  ///
  /// - Throws: ``SystolicModelError/invalidShape(_:)`` for a non-positive
  ///   dimension or the `rs` dataflow, and
  ///   ``SystolicModelError/overflow(_:)`` when a product does not fit.
  public init(_ gemm: SystolicGEMM, array: SystolicArray)
    throws(SystolicModelError)
  {
    let r = array.rows
    let c = array.columns
    guard r > 0, c > 0 else {
      throw .invalidShape("array \(r)×\(c) must be positive")
    }
    guard gemm.e > 0, gemm.k > 0, gemm.m > 0 else {
      throw .invalidShape(
        "GEMM E=\(gemm.e) K=\(gemm.k) M=\(gemm.m) must be positive")
    }
    dataflow = array.dataflow
    rows = r
    columns = c
    switch array.dataflow {
    case .os: (spatialRows, spatialColumns, temporal) = (gemm.e, gemm.m, gemm.k)
    case .ws: (spatialRows, spatialColumns, temporal) = (gemm.k, gemm.m, gemm.e)
    case .is: (spatialRows, spatialColumns, temporal) = (gemm.k, gemm.e, gemm.m)
    case .rs:
      throw .invalidShape("row-stationary arrays are not modelled by SCALE-Sim")
    }
    rowFolds = SystolicMath.ceilDiv(spatialRows, r)
    columnFolds = SystolicMath.ceilDiv(spatialColumns, c)
    folds = try SystolicMath.multiply(rowFolds, columnFolds, "folds")
    let skew = try SystolicMath.add(r, c - 2, "fold skew")
    if array.dataflow == .os {
      cyclesPerFold = try SystolicMath.add(temporal, skew, "cycles per fold")
      utilizationCyclesPerFold = cyclesPerFold
    } else {
      cyclesPerFold = try SystolicMath.add(
        temporal, skew + r, "cycles per fold")
      utilizationCyclesPerFold = try SystolicMath.add(
        cyclesPerFold, c - 1, "cycles per fold")
    }
  }

  /// Rows of the array used by row fold `index` (edge folds use fewer).
  public func usedRows(rowFold index: Int) -> Int {
    min(rows, spatialRows - index * rows)
  }

  /// Columns of the array used by column fold `index`.
  public func usedColumns(columnFold index: Int) -> Int {
    min(columns, spatialColumns - index * columns)
  }
}
