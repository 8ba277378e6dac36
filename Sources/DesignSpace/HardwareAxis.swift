/// A device parameter a sweep may override.
public enum HardwareParameter: Hashable, Sendable {
  /// Rows and columns of a systolic array (a square array of this side).
  case arraySize
  /// Rows of a systolic array.
  case arrayRows
  /// Columns of a systolic array.
  case arrayColumns
  /// Bytes of one instance of the named on-chip level (a partitioned level
  /// keeps its operands' proportions).
  case bufferBytes(level: String)
  /// Read and write bandwidth of the backing store, bytes per second.
  case bandwidth
  /// Compute clock, hertz.
  case clock
  /// DSP slices of an FPGA design.
  case dspSlices

  /// The name used in sweep files and point identifiers.
  ///
  /// For example `array_size`, `buffer.glb` or `bandwidth`.
  public var name: String {
    switch self {
    case .arraySize: "array_size"
    case .arrayRows: "array_rows"
    case .arrayColumns: "array_columns"
    case .bufferBytes(let level): "buffer.\(level)"
    case .bandwidth: "bandwidth"
    case .clock: "clock"
    case .dspSlices: "dsp_slices"
    }
  }

  /// Whether values are whole numbers (array sides, DSP counts).
  public var isCount: Bool {
    switch self {
    case .arraySize, .arrayRows, .arrayColumns, .dspSlices: true
    case .bufferBytes, .bandwidth, .clock: false
    }
  }
}

/// One hardware axis: a parameter and the values it takes, in base units
/// (bytes, bytes per second, hertz, or a count).
public struct HardwareAxis: Hashable, Sendable {
  /// The parameter.
  public var parameter: HardwareParameter
  /// The values, in order (each > 0).
  public var values: [Double]

  /// Creates an axis.
  public init(parameter: HardwareParameter, values: [Double]) {
    self.parameter = parameter
    self.values = values
  }
}
