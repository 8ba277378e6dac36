/// A validated description of a device: what EdgeSim simulates a network on.
///
/// Read from a hardware YAML file (`SpecFormats`) or a SCALE-Sim `.cfg`. All
/// quantities are in base units (hertz, bytes, bytes/s, joules, watts). The
/// memory hierarchy is ordered from the backing store (DRAM, flash or a host
/// link) inward.
public struct Device: Hashable, Sendable {
  /// Unique name, for example `eyeriss-v1`.
  public var name: String
  /// Family.
  public var kind: DeviceKind
  /// One-line description.
  public var summary: String
  /// Process node in nanometres.
  public var technologyNanometres: Double
  /// Compute clock, hertz.
  ///
  /// Setting it re-resolves every figure written per cycle
  /// (``resolveRates()``).
  public var clock: Double {
    didSet { resolveRates() }
  }
  /// Compute units, rates and energies.
  public var compute: Compute
  /// Memory levels from the backing store inward.
  public var memory: [MemoryLevel]
  /// Static (leakage and always-on) power of the whole device, watts.
  public var staticPower: Double
  /// FPGA part budget (FPGA devices only).
  public var fabric: FPGAFabric?
  /// Calibration factors by operator class.
  public var efficiency: [OperatorClass: CalibrationFactor]
  /// Where the figures came from.
  public var sources: [String]
  /// Whether parameters stay on chip across inferences (`nil`: they are
  /// fetched from their home on every inference).
  public var parameterResidency: ParameterResidency?
  /// The per-operator execution model of a processor's runtime (`cpu`,
  /// `gpu`, `mcu`), or `nil`: layers are then timed by the loop-nest model
  /// and the `efficiency` factors.
  public var runtime: RuntimeModel?
  /// The operators an accelerator runs and the host that runs the rest
  /// (`nil`: the device runs every operator).
  public var host: HostPartition?

  /// Creates a device; call ``validate()`` before trusting it.
  public init(
    name: String, kind: DeviceKind, summary: String = "",
    technologyNanometres: Double,
    clock: Double, compute: Compute, memory: [MemoryLevel], staticPower: Double,
    fabric: FPGAFabric? = nil,
    efficiency: [OperatorClass: CalibrationFactor] = [:],
    sources: [String] = [],
    parameterResidency: ParameterResidency? = nil,
    runtime: RuntimeModel? = nil,
    host: HostPartition? = nil
  ) {
    self.name = name
    self.kind = kind
    self.summary = summary
    self.technologyNanometres = technologyNanometres
    self.clock = clock
    self.compute = compute
    self.memory = memory
    self.staticPower = staticPower
    self.fabric = fabric
    self.efficiency = efficiency
    self.sources = sources
    self.parameterResidency = parameterResidency
    self.runtime = runtime
    self.host = host
  }

  /// Peak MACs per second at a precision, or `nil` if not supported.
  public func peakMACsPerSecond(_ precision: Precision) -> Double? {
    compute.peakMACsPerCycle(precision).map { $0 * clock }
  }

  /// Bytes of on-chip memory over every on-chip level and instance.
  public var onChipBytes: Double {
    memory.filter { !$0.kind.isOffChip }.compactMap(\.totalBytes).reduce(0, +)
  }

  /// The index of the outermost level that holds an operand: its home.
  public func home(of operand: Operand) -> Int? {
    memory.firstIndex { $0.holds.contains(operand) }
  }
}
