import HardwareModel
import Simulation

/// One layer of a trace: an object of `summary.json`'s `layers` and a row
/// of `layers.csv` (``csvColumns(levels:)``).
///
/// A new per-layer figure is a property here (with its key in
/// ``CodingKeys`` and its value in ``init(_:)``), and a column in
/// ``csvColumns(levels:)`` if the table shows it.
public struct LayerRecord: Codable, Hashable, Sendable {
  /// Bytes read from and written to one level, per operand.
  public struct Level: Codable, Hashable, Sendable {
    /// The level's name.
    public var level: String
    /// Bytes read, per operand.
    public var reads: [String: Int]
    /// Bytes written, per operand.
    public var writes: [String: Int]
  }

  /// The layer's roofline.
  public struct Roofline: Codable, Hashable, Sendable {
    /// Operations per backing-store byte; `nil` when it moves none.
    @WritesNull public var arithmeticIntensity: Double?
    /// Peak operations per second.
    public var peakOperationsPerSecond: Double
    /// Backing-store bandwidth, bytes per second; `nil` when unlimited
    /// (written `null`).
    @WritesNull public var bandwidth: Double?
    /// `min(peak, intensity × bandwidth)`.
    public var attainableOperationsPerSecond: Double
    /// The lower bound on the layer's time, seconds.
    public var boundSeconds: Double

    enum CodingKeys: String, CodingKey {
      case arithmeticIntensity = "arithmetic_intensity"
      case peakOperationsPerSecond = "peak_ops_per_s"
      case bandwidth = "bandwidth_bytes_per_s"
      case attainableOperationsPerSecond = "attainable_ops_per_s"
      case boundSeconds = "bound_s"
    }
  }

  /// Coded over raw backing-store bits per operand.
  public struct DRAMCoding: Codable, Hashable, Sendable {
    /// Weights.
    public var weights: Double
    /// Activation inputs.
    public var inputs: Double
    /// Outputs.
    public var outputs: Double
  }

  /// The node's name.
  public var name: String
  /// The operator type.
  public var op: String
  /// Latency, device clock cycles.
  public var cycles: Int
  /// Latency, seconds.
  public var latency: Double
  /// Start within the run, seconds.
  public var start: Double
  /// Energy, joules.
  public var energyJoules: Double
  /// Energy by component.
  public var energy: EnergyRecord
  /// Backing-store bytes moved either way.
  public var dramBytes: Int
  /// Backing-store bytes read, per operand.
  public var dramRead: [String: Int]
  /// Backing-store bytes written, per operand.
  public var dramWritten: [String: Int]
  /// `compute`, `dram` or `onchip`.
  public var bound: String
  /// `compute`, `dram` or `onchip:<level>`.
  public var boundDetail: String
  /// MAC utilisation.
  public var utilization: Double
  /// Spatial utilisation of the array or lanes.
  public var spatialUtilization: Double
  /// Tiles the layer was split into.
  public var tiles: Int
  /// Whether the output stays on chip.
  public var outputOnChip: Bool
  /// Whether every activation input came from on-chip memory.
  public var inputsOnChip: Bool
  /// The producer this activation is fused into (written `null` if none).
  @WritesNull public var fusedInto: String?
  /// Bytes of the on-chip tiles.
  public var bufferBytes: Int
  /// Seconds the compute waited for transfers.
  public var stall: Double
  /// Multiply-accumulates.
  public var macs: Int
  /// Non-MAC operations.
  public var operations: Int
  /// Tile sizes, loop order and spatial unrolling.
  public var mapping: String
  /// The operand widths' label.
  public var widths: String
  /// Bytes per level, backing store first.
  public var levels: [Level]
  /// Roofline figures.
  public var roofline: Roofline
  /// The DRAM coding's ratios; absent for raw traffic.
  public var dramCoding: DRAMCoding?
  /// The host device that ran the layer, when the run's accelerator left it
  /// to its host (``LayerResult/host``); absent otherwise.
  public var host: String?

  enum CodingKeys: String, CodingKey {
    case name, op, cycles, energy, bound, utilization, tiles, macs
    case operations, mapping, widths, levels, roofline
    case latency = "latency_s"
    case start = "start_s"
    case energyJoules = "energy_j"
    case dramBytes = "dram_bytes"
    case dramRead = "dram_read"
    case dramWritten = "dram_written"
    case boundDetail = "bound_detail"
    case spatialUtilization = "spatial_utilization"
    case outputOnChip = "output_on_chip"
    case inputsOnChip = "inputs_on_chip"
    case fusedInto = "fused_into"
    case bufferBytes = "buffer_bytes"
    case stall = "stall_s"
    case dramCoding = "dram_coding"
    case host
  }

  /// The record of a simulated layer.
  public init(_ l: LayerResult) {
    func operands(_ values: [Operand: Int]) -> [String: Int] {
      Dictionary(
        uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
    }
    name = l.name
    op = l.opType
    cycles = l.cycles
    latency = l.seconds
    start = l.startSeconds
    energyJoules = l.energy.total
    energy = EnergyRecord(l.energy)
    dramBytes = l.dramBytes
    dramRead = operands(l.dramRead)
    dramWritten = operands(l.dramWritten)
    bound = l.bound.label
    boundDetail = l.bound.description
    utilization = l.utilization
    spatialUtilization = l.spatialUtilization
    tiles = l.tileCount
    outputOnChip = l.outputStaysOnChip
    inputsOnChip = l.inputsOnChip
    fusedInto = l.fusedInto
    bufferBytes = l.bufferBytes
    stall = l.stallSeconds
    macs = l.macs
    operations = l.operations
    mapping = l.mapping
    widths = l.widths.label
    levels = l.levels.map {
      Level(
        level: $0.level, reads: operands($0.reads), writes: operands($0.writes))
    }
    roofline = Roofline(
      arithmeticIntensity: l.roofline.arithmeticIntensity,
      peakOperationsPerSecond: l.roofline.peakOperationsPerSecond,
      bandwidth: l.roofline.bandwidth.isFinite ? l.roofline.bandwidth : nil,
      attainableOperationsPerSecond: l.roofline.attainableOperationsPerSecond,
      boundSeconds: l.roofline.boundSeconds)
    dramCoding = l.dramCoding.map {
      DRAMCoding(weights: $0.weights, inputs: $0.inputs, outputs: $0.outputs)
    }
    host = l.host
  }

  /// What limits the layer, detailed (`onchip:glb`); the short `bound`
  /// when an older summary has no detail.
  public var limit: String { boundDetail.isEmpty ? bound : boundDetail }

  /// A column of `layers.csv`: its header and a layer's field.
  public struct Column: Sendable {
    /// The header.
    public var header: String
    /// The field of a layer.
    public var value: @Sendable (LayerRecord) -> String
  }

  /// The columns of `layers.csv`, in order; `levels` are the on-chip
  /// levels that get an energy column each.
  public static func csvColumns(levels: [String]) -> [Column] {
    func number(
      _ header: String, _ value: @escaping @Sendable (LayerRecord) -> Double
    )
      -> Column
    {
      Column(header: header) { JSONValue.format(value($0)) }
    }
    func integer(
      _ header: String, _ value: @escaping @Sendable (LayerRecord) -> Int
    )
      -> Column
    {
      Column(header: header) { String(value($0)) }
    }
    return [
      Column(header: "name") { $0.name }, Column(header: "op") { $0.op },
      integer("cycles") { $0.cycles }, number("latency_s") { $0.latency },
      number("start_s") { $0.start }, Column(header: "bound") { $0.limit },
      number("utilization") { $0.utilization },
      number("spatial_utilization") { $0.spatialUtilization },
      integer("macs") { $0.macs }, integer("operations") { $0.operations },
      integer("dram_read_bytes") { $0.dramRead.values.reduce(0, &+) },
      integer("dram_written_bytes") { $0.dramWritten.values.reduce(0, &+) },
      number("energy_j") { $0.energyJoules },
      number("energy_mac_j") { $0.energy.mac },
      number("energy_ops_j") { $0.energy.operations },
      number("energy_dram_j") { $0.energy.dram },
      number("energy_onchip_j") { record in
        levels.reduce(0) { $0 + (record.energy.onChip[$1] ?? 0) }
      },
    ]
      + levels.map { level in
        number("energy_onchip_\(level)_j") { $0.energy.onChip[level] ?? 0 }
      }
      + [
        number("energy_static_j") { $0.energy.staticEnergy },
        integer("tiles") { $0.tiles },
        Column(header: "output_on_chip") { $0.outputOnChip ? "true" : "false" },
        Column(header: "fused_into") { $0.fusedInto ?? "" },
        Column(header: "mapping") { $0.mapping },
      ]
  }
}
