import HardwareModel

/// Storage widths of a layer's operands, in bits per element, as the mapper
/// sizes tiles and counts bytes.
///
/// Partial sums are kept at ``partialSumBits`` while a reduction is split
/// across tiles (they spill and come back at that width); a finished output
/// is stored at ``outputs``.
public struct OperandBits: Hashable, Sendable {
  /// Bits per weight.
  public var weights: Int
  /// Bits per input activation.
  public var inputs: Int
  /// Bits per output activation.
  public var outputs: Int
  /// Bits per partial sum (the accumulator width).
  public var partialSumBits: Int

  /// Creates the widths (each at least 1 bit).
  public init(weights: Int, inputs: Int, outputs: Int, partialSumBits: Int) {
    self.weights = max(1, weights)
    self.inputs = max(1, inputs)
    self.outputs = max(1, outputs)
    self.partialSumBits = max(1, partialSumBits)
  }

  /// The width of an operand at rest (outputs at their final width).
  public subscript(operand: Operand) -> Int {
    switch operand {
    case .weights: weights
    case .inputs: inputs
    case .outputs: outputs
    }
  }
}
