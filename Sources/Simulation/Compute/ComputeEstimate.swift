import HardwareModel
import Mapping

/// How long the compute units take for a MAC layer and what they read.
struct ComputeEstimate: Hashable, Sendable {
  /// Cycles with every operand on chip (after calibration).
  var cycles: Double
  /// The spatial mapping.
  var unrolling: SpatialUnrolling
  /// Peak MACs per cycle of the whole device at this rate.
  var peakMACsPerCycle: Double
  /// Elements the datapath reads from its innermost level, per operand.
  var reads: [Operand: Double]
  /// Elements the datapath writes to its innermost level, per operand.
  var writes: [Operand: Double]
  /// Whether ``cycles`` include moving operands between the innermost
  /// memory level and the datapath.
  ///
  /// True when the organisation has its own model of operand delivery (a
  /// systolic fold schedule, row-stationary passes, Qiu's convolvers): the
  /// datapath's accesses are then counted (energy, reports) but not timed a
  /// second time against that level's bandwidth. One device, one model of
  /// its data movement.
  var deliversOperands: Bool = false
}
