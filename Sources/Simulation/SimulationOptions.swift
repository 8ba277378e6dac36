import HardwareModel
import PrecisionModel

/// Which inference a run times, as far as parameters go.
public enum InferenceRegime: String, Hashable, Sendable, CaseIterable {
  /// Steady state, as published benchmarks measure: parameters the device
  /// keeps on chip across inferences (its ``Device/parameterResidency``)
  /// are already there.
  case steadyState = "steady"
  /// The first inference: every weight is fetched from its home.
  case cold
}

/// How a run is set up.
public struct SimulationOptions: Hashable, Sendable {
  /// The precision.
  public var precision: PrecisionChoice
  /// Inferences processed together (multiplies the batch loop, ≥ 1).
  public var batch: Int
  /// Whether a layer's output may stay in on-chip memory for the next layer
  /// when it fits (otherwise every activation goes to DRAM and back).
  public var keepOutputsOnChip: Bool
  /// Which inference is timed: steady state (the default) keeps on chip
  /// the parameters the device declares it keeps across inferences; cold
  /// fetches every weight.
  public var inference: InferenceRegime
  /// A what-if: parameter residency for a device that declares none.
  ///
  /// In steady state, the device's weights' staging level keeps the
  /// parameters that fit across inferences (the whole level, beside the
  /// largest layer's input and output). No effect on a device that
  /// declares residency, nor in a cold run.
  public var weightsPreloaded: Bool
  /// The most tile groups a layer's timeline keeps (tiles are merged into
  /// consecutive groups beyond that); bounds run time and trace size.
  public var maximumTileGroups: Int
  /// How weights and activations are coded to and from the backing store
  /// (`nil`: raw).
  public var compression: DRAMCompression?
  /// Whether MAC layers' mapping searches run ahead on a second thread.
  ///
  /// The run walks the layers meanwhile. The results are the same either way
  /// (each search is a pure function of its key); it pays where a second
  /// core is free, so a single simulation sets it and a sweep, which
  /// already runs one simulation per core, leaves it off.
  public var searchesAhead: Bool = false

  /// Creates options.
  public init(
    precision: PrecisionChoice = .native, batch: Int = 1,
    keepOutputsOnChip: Bool = true,
    inference: InferenceRegime = .steadyState,
    weightsPreloaded: Bool = false, maximumTileGroups: Int = 32,
    compression: DRAMCompression? = nil
  ) {
    self.compression = compression
    self.precision = precision
    self.batch = min(max(1, batch), 1 << 16)
    self.keepOutputsOnChip = keepOutputsOnChip
    self.inference = inference
    self.weightsPreloaded = weightsPreloaded
    self.maximumTileGroups = min(max(1, maximumTileGroups), 4096)
  }
}
