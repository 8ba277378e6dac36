/// What coding leaves of a layer's backing-store traffic, per operand: coded
/// bits over raw bits, each in [0, 1] (1: raw).
public struct DRAMScale: Hashable, Sendable {
  /// Weights read.
  public var weights: Double
  /// Input activations read.
  public var inputs: Double
  /// Final outputs written (partial sums spilled to DRAM stay raw).
  public var outputs: Double

  /// Creates factors (clamped to [0, 1]).
  public init(weights: Double = 1, inputs: Double = 1, outputs: Double = 1) {
    self.weights = min(1, max(0, weights))
    self.inputs = min(1, max(0, inputs))
    self.outputs = min(1, max(0, outputs))
  }

  /// No coding.
  public static let raw = DRAMScale()

  /// Whether every factor is 1.
  public var isRaw: Bool { weights == 1 && inputs == 1 && outputs == 1 }
}
