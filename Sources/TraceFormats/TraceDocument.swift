import Foundation
import HardwareModel
import Simulation

/// The trace's `summary.json` as a `Codable` value, schema
/// `edgesim.trace/1`: written by ``SummaryJSON`` and read by `edgesim
/// report` and `edgesim compare`, so the schema has one definition.
///
/// Made from a ``RunSummary`` with ``init(_:)``; rendered with ``json`` or
/// ``rendered`` (sorted keys, numbers as ``JSONValue/format(_:)``); read
/// with ``read(bytes:)``. Reading is lenient: a key that an older or
/// smaller summary lacks reads as zero, empty or `nil` (see
/// ``JSONValueDecoder``); only the schema and the figures a comparison
/// cannot do without are required.
public struct TraceDocument: Codable, Hashable, Sendable {
  /// The schema identifier.
  ///
  /// Version 2 names the on-chip energies `onchip`
  /// (version 1: `on_chip`), the one name every output uses.
  public static let schema = "edgesim.trace/2"

  /// The schemas ``read(bytes:)`` accepts: this one, and version 1, read
  /// with `on_chip` taken as `onchip`.
  public static let readableSchemas = [schema, "edgesim.trace/1"]

  /// Totals of the run (`totals`).
  public struct Totals: Codable, Hashable, Sendable {
    /// Device clock cycles of the whole batch.
    public var cycles: Int
    /// Latency of the batch, seconds.
    public var latency: Double
    /// Inferences per second.
    public var throughput: Double
    /// Energy per inference, joules.
    public var energyPerInference: Double
    /// Energy per inference by component.
    public var energy: EnergyRecord
    /// Average power, watts.
    public var averagePower: Double
    /// MACs of the batch.
    public var macs: Int
    /// Non-MAC operations of the batch.
    public var operations: Int
    /// Achieved operations per second.
    public var operationsPerSecond: Double
    /// MAC utilisation of the run.
    public var macUtilization: Double
    /// Backing-store bytes read and written.
    public var dramBytes: Int
    /// Backing-store bytes read.
    public var dramBytesRead: Int
    /// Backing-store bytes written.
    public var dramBytesWritten: Int

    enum CodingKeys: String, CodingKey {
      case cycles, macs, operations, energy
      case latency = "latency_s"
      case throughput = "throughput_per_s"
      case energyPerInference = "energy_j"
      case averagePower = "average_power_w"
      case operationsPerSecond = "ops_per_s"
      case macUtilization = "mac_utilization"
      case dramBytes = "dram_bytes"
      case dramBytesRead = "dram_bytes_read"
      case dramBytesWritten = "dram_bytes_written"
    }
  }

  /// `edgesim.trace/2`.
  public var schema: String
  /// The device's name.
  public var device: String
  /// The network's name.
  public var model: String
  /// The precision label.
  public var precision: String
  /// Inferences per run.
  public var batch: Int
  /// Device clock, hertz.
  public var clock: Double
  /// Peak MACs per second at the run's default precision (0 when unknown).
  public var peakMACsPerSecond: Double
  /// Totals.
  public var totals: Totals
  /// Layers in execution order.
  public var layers: [LayerRecord]
  /// The DRAM coding's label; absent for raw traffic.
  public var dramCoding: String?
  /// Where the parameters were when the timed inference started:
  /// `resident`, `streamed`, `partly resident (X of Y bytes)` or `none`
  /// (``ParameterPlacement/label``); absent in older summaries.
  public var parameters: String?
  /// The inference timed: `steady` or `cold`; absent in older summaries.
  public var inference: String?

  enum CodingKeys: String, CodingKey {
    case schema, device, model, precision, batch, totals, layers
    case clock = "clock_hz"
    case peakMACsPerSecond = "peak_macs_per_s"
    case dramCoding = "dram_coding"
    case parameters, inference
  }

  /// The document of a run.
  public init(_ run: RunSummary) {
    let t = run.totals
    schema = Self.schema
    device = run.device
    model = run.model
    precision = run.precision
    batch = run.batch
    clock = run.clock
    peakMACsPerSecond = run.peakMACsPerSecond
    totals = Totals(
      cycles: t.cycles, latency: t.latency, throughput: t.throughput,
      energyPerInference: t.energyPerInference,
      energy: EnergyRecord(t.energy), averagePower: t.averagePower,
      macs: t.macs, operations: t.operations,
      operationsPerSecond: t.operationsPerSecond,
      macUtilization: t.macUtilization, dramBytes: t.dramBytes,
      dramBytesRead: t.dramBytesRead, dramBytesWritten: t.dramBytesWritten)
    layers = run.layers.map(LayerRecord.init)
    dramCoding = run.compression
    parameters = run.parameters.label
    inference = run.inference.rawValue
  }

  /// The document as a JSON value.
  public var json: JSONValue {
    // Encoding into a JSONValue cannot fail: every figure is a number,
    // string, list or object.
    (try? JSONValueEncoder.encode(self)) ?? .null
  }

  /// The `summary.json` text, newline-terminated.
  public var rendered: String { json.rendered + "\n" }

  /// Reads a `summary.json`.
  ///
  /// - Returns: The document, or what is wrong with the file (not JSON,
  ///   another schema, a missing `totals` or `layers`, a layer without a
  ///   name, `latency_s` or `energy`, totals without `latency_s` or
  ///   `energy`).
  public static func read(bytes: [UInt8]) -> Result<
    TraceDocument, TraceSummaryError
  > {
    func fail(_ message: String, hint: String? = nil) -> Result<
      TraceDocument, TraceSummaryError
    > {
      .failure(TraceSummaryError(message: message, hint: hint))
    }
    guard let root = JSONValue.parse(bytes) else {
      return fail(
        "not a JSON object", hint: "name the summary.json of an edgesim trace")
    }
    return read(root)
  }

  /// Reads a parsed `summary.json` (``read(bytes:)``).
  static func read(_ root: JSONValue) -> Result<
    TraceDocument, TraceSummaryError
  > {
    func fail(_ message: String, hint: String? = nil) -> Result<
      TraceDocument, TraceSummaryError
    > {
      .failure(TraceSummaryError(message: message, hint: hint))
    }
    guard case .object(let top) = root else {
      return fail(
        "not a JSON object", hint: "name the summary.json of an edgesim trace")
    }
    guard case .string(let found)? = top["schema"],
      readableSchemas.contains(found)
    else {
      return fail(
        "the schema is \(top["schema"].map { "'\(Self.text($0))'" } ?? "missing"), not '\(schema)'",
        hint:
          "write the trace again with this edgesim (edgesim simulate --trace)")
    }
    if found != schema { return read(Self.upgraded(root)) }
    guard case .object(let totals)? = top["totals"],
      case .array(let layers)? = top["layers"]
    else { return fail("'totals' or 'layers' is missing") }
    for (index, layer) in layers.enumerated() {
      guard case .object(let fields) = layer, case .string? = fields["name"],
        Self.isNumber(fields["latency_s"]), case .object? = fields["energy"]
      else { return fail("layer \(index) lacks a name, latency_s or energy") }
    }
    guard Self.isNumber(totals["latency_s"]), case .object? = totals["energy"]
    else { return fail("'totals' lacks latency_s or energy") }
    do {
      return .success(try JSONValueDecoder.decode(Self.self, from: root))
    } catch {
      return fail("not a trace summary: \(Self.describe(error))")
    }
  }

  /// A version-1 summary as version 2: every `energy` object's `on_chip`
  /// renamed `onchip`, the schema stamped 2.
  static func upgraded(_ root: JSONValue) -> JSONValue {
    func upgrade(_ value: JSONValue) -> JSONValue {
      switch value {
      case .object(let fields):
        var result: [String: JSONValue] = [:]
        for (key, field) in fields {
          if key == "energy", case .object(var energy) = field,
            let levels = energy.removeValue(forKey: "on_chip")
          {
            energy["onchip"] = levels
            result[key] = .object(energy)
          } else {
            result[key] = upgrade(field)
          }
        }
        return .object(result)
      case .array(let items): return .array(items.map(upgrade))
      default: return value
      }
    }
    guard case .object(var top) = upgrade(root) else { return root }
    top["schema"] = .string(schema)
    return .object(top)
  }

  static func isNumber(_ value: JSONValue?) -> Bool {
    switch value {
    case .int?, .number?: true
    default: false
    }
  }

  /// A value as the message quotes it (strings without quotes).
  static func text(_ value: JSONValue) -> String {
    if case .string(let s) = value { return s }
    return value.rendered
  }

  static func describe(_ error: any Error) -> String {
    guard case .typeMismatch(_, let context) = error as? DecodingError else {
      return "\(error)"
    }
    let path = context.codingPath.map {
      $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)"
    }.joined()
    return
      "\(path.hasPrefix(".") ? String(path.dropFirst()) : path): \(context.debugDescription)"
  }
}

/// An energy breakdown (`energy` of a layer or of the totals), joules.
public struct EnergyRecord: Codable, Hashable, Sendable {
  /// MAC energy.
  public var mac: Double
  /// Non-MAC operation energy.
  public var operations: Double
  /// The backing store's energy.
  public var dram: Double
  /// The backing store's level name.
  public var backingStore: String
  /// On-chip levels, outermost first (by name when read back).
  public var onChip: LevelFigures
  /// Static power × latency.
  public var staticEnergy: Double
  /// Every component summed.
  public var total: Double
  /// Data-movement energy per operand.
  public var byOperand: [String: Double]

  enum CodingKeys: String, CodingKey {
    case mac, dram, total
    case operations = "ops"
    case backingStore = "backing_store"
    case onChip = "onchip"
    case staticEnergy = "static"
    case byOperand = "by_operand"
  }

  /// The record of a breakdown.
  public init(_ e: EnergyBreakdown) {
    mac = e.mac
    operations = e.operations
    dram = e.dram
    backingStore = e.backingStore.level
    onChip = LevelFigures(e.onChip.map { ($0.level, $0.joules) })
    staticEnergy = e.staticEnergy
    total = e.total
    byOperand = Dictionary(
      uniqueKeysWithValues: e.byOperand.map { ($0.key.rawValue, $0.value) })
  }
}

/// Figures per named level, written as a JSON object keyed by level and
/// kept in the run's order (outermost first) in memory; read back in name
/// order, since a JSON object has none.
public struct LevelFigures: Codable, Hashable, Sendable {
  /// One level's figure.
  public struct Entry: Hashable, Sendable {
    /// The level's name.
    public var level: String
    /// The figure.
    public var value: Double
  }

  /// The levels, in order.
  public var entries: [Entry]

  /// Creates the figures, in the given order.
  public init(_ entries: [(level: String, value: Double)]) {
    self.entries = entries.map { Entry(level: $0.level, value: $0.value) }
  }

  /// The figure of `level`, if it is listed.
  public subscript(level: String) -> Double? {
    entries.first { $0.level == level }?.value
  }

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  /// Reads the object's levels in name order.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    entries = try container.allKeys.map(\.stringValue).sorted().map {
      Entry(
        level: $0,
        value: try container.decode(Double.self, forKey: Key(stringValue: $0)))
    }
  }

  /// Writes an object keyed by level.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    for entry in entries {
      try container.encode(entry.value, forKey: Key(stringValue: entry.level))
    }
  }
}

/// An optional that is written as `null` when absent, where synthesised
/// `Codable` would leave the key out (`fused_into`, a roofline's
/// `arithmetic_intensity`), and read as `nil` when missing or `null`.
@propertyWrapper
public struct WritesNull<Value: Codable & Hashable & Sendable>: Codable,
  Hashable, Sendable
{
  /// The value, `nil` when absent.
  public var wrappedValue: Value?

  /// Wraps a value.
  public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

  /// Reads the value, or `nil` for `null`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    wrappedValue =
      container.decodeNil() ? nil : try container.decode(Value.self)
  }

  /// Writes the value, or `null`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if let wrappedValue {
      try container.encode(wrappedValue)
    } else {
      try container.encodeNil()
    }
  }
}

extension KeyedDecodingContainer {
  /// A missing key reads as `nil` (decoders other than
  /// ``JSONValueDecoder`` would otherwise report it missing).
  public func decode<Value>(_ type: WritesNull<Value>.Type, forKey key: Key)
    throws
    -> WritesNull<Value>
  {
    try decodeIfPresent(type, forKey: key) ?? WritesNull(wrappedValue: nil)
  }
}
