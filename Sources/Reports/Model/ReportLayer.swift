/// One layer of a run, as the report draws it.
public struct ReportLayer: Hashable, Sendable {
  /// The node's name (from the user's model: escaped wherever it is shown).
  public var name: String
  /// The operator type.
  public var op: String
  /// Start within the run, seconds.
  public var start: Double
  /// Latency, seconds (0 for fused activations and views).
  public var latency: Double
  /// Energy per inference by component, in stacking order (`mac`, `ops`,
  /// each on-chip level from the outermost inward, `dram`, `static`).
  public var energy: [EnergyComponent]
  /// Backing-store bytes, read and written.
  public var dramBytes: Int
  /// Multiply-accumulates.
  public var macs: Int
  /// Non-MAC operations.
  public var operations: Int
  /// MAC utilisation in [0, 1].
  public var utilization: Double
  /// What limits it: `compute`, `dram` or `onchip:<level>`.
  public var bound: String
  /// Operations (2 per MAC plus others) per backing-store byte; `nil` when
  /// the layer moves no backing-store bytes.
  public var arithmeticIntensity: Double?
  /// The peak operations per second of the unit that runs this layer (the
  /// array for MAC layers, post-processing lanes for streaming ones).
  public var peakOperationsPerSecond: Double
  /// The producer this activation is fused into, if any; the report draws
  /// its energy on the producer's bar.
  public var fusedInto: String?

  /// Creates a layer.
  public init(
    name: String, op: String, start: Double, latency: Double,
    energy: [EnergyComponent],
    dramBytes: Int, macs: Int, operations: Int, utilization: Double,
    bound: String,
    arithmeticIntensity: Double?, peakOperationsPerSecond: Double,
    fusedInto: String? = nil
  ) {
    self.name = name
    self.op = op
    self.start = start
    self.latency = latency
    self.energy = energy
    self.dramBytes = dramBytes
    self.macs = macs
    self.operations = operations
    self.utilization = utilization
    self.bound = bound
    self.arithmeticIntensity = arithmeticIntensity
    self.peakOperationsPerSecond = peakOperationsPerSecond
    self.fusedInto = fusedInto
  }

  /// Energy per inference, joules.
  public var totalEnergy: Double { energy.reduce(0) { $0 + $1.joules } }

  /// Operations counted by the roofline: 2 per MAC plus the others.
  public var rooflineOperations: Double {
    2 * Double(macs) + Double(operations)
  }

  /// Achieved operations per second, or `nil` when the layer takes no time.
  public var achievedOperationsPerSecond: Double? {
    latency > 0 ? rooflineOperations / latency : nil
  }
}
