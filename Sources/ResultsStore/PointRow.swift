import DesignSpace
import GRDB

/// One row of `points`: a design point's parameters and result, flat.
public struct PointRow: Hashable, Sendable {
  /// The point's stable identifier.
  public var pointID: String
  /// `done`, `infeasible` or `failed`.
  public var status: String
  /// Why infeasible, or the error of a failed point.
  public var reason: String?
  /// The model as the sweep file names it.
  public var model: String
  /// The device as the sweep file names it.
  public var device: String
  /// Inferences per run.
  public var batch: Int
  /// Bits of layers no axis names, or `nil` for native.
  public var defaultBits: Int?
  /// `axis=setting` pairs joined by `;`.
  public var precision: String
  /// `parameter=value` pairs joined by `;`.
  public var hardware: String
  /// `huffman=1` and `axis/key=level` pairs joined by `;`, `''` when the
  /// point compresses nothing.
  public var compression: String
  /// The canonical parameter text.
  public var parameters: String
  /// The figures, when done.
  public var metrics: PointMetrics?

  /// Flattens a result.
  public init(_ result: PointResult) {
    let point = result.point
    pointID = point.id
    status = result.status.label
    switch result.status {
    case .done(let m): metrics = m
    case .infeasible(let why): reason = why
    case .failed(let error): reason = error
    }
    model = point.model
    device = point.device
    batch = point.batch
    defaultBits = point.defaultBits
    precision = point.precision.map { "\($0.axis)=\($0.setting.canonical)" }
      .joined(separator: ";")
    hardware = point.hardware.map {
      "\($0.parameter.name)=\($0.canonicalValue)"
    }
    .joined(separator: ";")
    compression =
      ((point.huffman ? ["huffman=1"] : [])
      + point.compression.map(\.canonical))
      .joined(separator: ";")
    parameters = point.canonical
  }

  init(row: Row) {
    pointID = row["point_id"]
    status = row["status"]
    reason = row["reason"]
    model = row["model"]
    device = row["device"]
    batch = row["batch"]
    defaultBits = row["default_bits"]
    precision = row["precision"]
    hardware = row["hardware"]
    compression = row["compression"] ?? ""
    parameters = row["parameters"]
    if let latency = row["latency_s"] as Double?,
      let energy = row["energy_j"] as Double?
    {
      metrics = PointMetrics(
        latency: latency, energy: energy, macEnergy: row["energy_mac_j"] ?? 0,
        operationEnergy: row["energy_ops_j"] ?? 0,
        dramEnergy: row["energy_dram_j"] ?? 0,
        onChipEnergy: row["energy_onchip_j"] ?? 0,
        staticEnergy: row["energy_static_j"] ?? 0,
        dramBytes: row["dram_bytes"] ?? 0, top1: row["top1"])
      metrics?.storedBits = row["stored_bits"]
      metrics?.compressionRatio = row["compression_ratio"]
    }
  }

  func insert(_ db: Database) throws {
    let m = metrics
    let values: [(any DatabaseValueConvertible)?] = [
      pointID, status, reason, model, device, batch, defaultBits, precision,
      hardware, parameters,
      m?.latency, m?.energy, m?.macEnergy, m?.operationEnergy, m?.dramEnergy,
      m?.onChipEnergy,
      m?.staticEnergy, m?.dramBytes, m?.top1, compression, m?.storedBits,
      m?.compressionRatio,
    ]
    let marks = Array(repeating: "?", count: values.count).joined(
      separator: ", ")
    try db.execute(
      sql:
        "INSERT OR IGNORE INTO points (\(ResultsSchema.pointColumns.joined(separator: ", "))) VALUES (\(marks))",
      arguments: StatementArguments(values))
  }
}
