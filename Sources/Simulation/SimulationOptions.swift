import HardwareModel
import PrecisionModel

/// How a run is set up.
public struct SimulationOptions: Hashable, Sendable {
  /// The precision.
  public var precision: PrecisionChoice
  /// Inferences processed together (multiplies the batch loop, ≥ 1).
  public var batch: Int
  /// Whether a layer's output may stay in on-chip memory for the next layer
  /// when it fits (otherwise every activation goes to DRAM and back).
  public var keepOutputsOnChip: Bool
  /// Steady-state weights: when the whole network's weights fit in the
  /// on-chip level that stages them, beside the largest layer's whole input
  /// and output, they are loaded before the timed run and never fetched
  /// again (the Edge TPU's parameter caching).
  public var weightsPreloaded: Bool
  /// The most tile groups a layer's timeline keeps (tiles are merged into
  /// consecutive groups beyond that); bounds run time and trace size.
  public var maximumTileGroups: Int
  /// How weights and activations are coded to and from the backing store
  /// (`nil`: raw).
  public var compression: DRAMCompression?

  /// Creates options.
  public init(
    precision: PrecisionChoice = .native, batch: Int = 1,
    keepOutputsOnChip: Bool = true,
    weightsPreloaded: Bool = false, maximumTileGroups: Int = 32,
    compression: DRAMCompression? = nil
  ) {
    self.compression = compression
    self.precision = precision
    self.batch = min(max(1, batch), 1 << 16)
    self.keepOutputsOnChip = keepOutputsOnChip
    self.weightsPreloaded = weightsPreloaded
    self.maximumTileGroups = min(max(1, maximumTileGroups), 4096)
  }
}
