/// What a bit-accurate run keeps for its caller.
///
/// Every choice computes the same values bit for bit; they differ only in
/// what the returned ``FixedPointRun`` holds, and so in the memory a run
/// touches.
public enum FixedPointRetention: Sendable, Hashable {
  /// The quantized inputs, every node output and every node's
  /// pre-requantization integers (``FixedPointRun/wide``): statistics,
  /// dumps and calibration.
  case everything
  /// The quantized inputs and every node output, no wide integers.
  case tensors
  /// Only the graph outputs (``FixedPointRun/outputs``) and the events:
  /// each intermediate tensor is released after its last consumer, and
  /// ``FixedPointRun/inputs``, ``FixedPointRun/tensors`` and
  /// ``FixedPointRun/wide`` stay empty.
  case outputs

  /// The retention matching the older `keepWide` flag.
  init(keepWide: Bool) {
    self = keepWide ? .everything : .tensors
  }
}
