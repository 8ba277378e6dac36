import Diagnostics
import HardwareModel

/// How a measured run was timed.
public enum MeasuredRegime: String, Hashable, Sendable, CaseIterable {
  /// Warm runs: parameters cached where the device caches them.
  case steady
  /// A single first run: every weight fetched.
  case cold
}

/// One row of a measurements file (`Hardware/measurements/README.md`),
/// checked: a positive latency, a known precision and regime, a batch of at
/// least one.
public struct MeasurementRecord: Hashable, Sendable {
  /// The row's 1-based line in the file.
  public var line: Int
  /// The `device` column.
  public var device: String
  /// The `model` column: a bundled workload name or a path.
  public var model: String
  /// Where the `model` field starts (for errors about the model).
  public var modelLocation: SourceLocation
  /// The `precision` column.
  public var precision: Precision
  /// The `batch` column (1 when absent or empty).
  public var batch: Int
  /// The `latency_ms` column, milliseconds per run (the whole batch).
  public var latencyMilliseconds: Double
  /// The `energy_mj` column, millijoules per run, when given.
  public var energyMillijoules: Double?
  /// The `regime` column (`steady` when absent or empty).
  public var regime: MeasuredRegime
  /// The `runtime` column, when given.
  public var runtime: String?
  /// The `notes` column, when given.
  public var notes: String?
}
