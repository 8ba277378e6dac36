import Foundation

/// The figures of a trace's `summary.json` (schema `edgesim.trace/1`) that
/// a comparison needs, read back from the file.
public struct TraceSummary: Hashable, Sendable {
  /// One layer's figures.
  public struct Layer: Hashable, Sendable {
    /// The node's name.
    public var name: String
    /// The operator type.
    public var op: String
    /// Latency, seconds.
    public var latency: Double
    /// Energy per inference by component (`mac`, `ops`, `dram`,
    /// `onchip:<level>`, `static`), joules, in that order.
    public var energy: [(component: String, joules: Double)]
    /// Backing-store bytes moved.
    public var dramBytes: Int
    /// MAC utilisation in [0, 1].
    public var utilization: Double
    /// What limits it (`compute`, `dram`, `onchip:glb`).
    public var bound: String

    /// The energy of every component summed.
    public var totalEnergy: Double { energy.reduce(0) { $0 + $1.joules } }

    /// Compares every field (tuples are not `Hashable`).
    public static func == (a: Layer, b: Layer) -> Bool {
      a.name == b.name && a.op == b.op && a.latency == b.latency
        && a.dramBytes == b.dramBytes
        && a.utilization == b.utilization && a.bound == b.bound
        && a.energy.map(\.component) == b.energy.map(\.component)
        && a.energy.map(\.joules) == b.energy.map(\.joules)
    }

    /// Hashes the identifying fields.
    public func hash(into hasher: inout Hasher) {
      hasher.combine(name)
      hasher.combine(latency)
    }
  }

  /// The model's name.
  public var model: String
  /// The device's name.
  public var device: String
  /// The precision label.
  public var precision: String
  /// Inferences per run.
  public var batch: Int
  /// Layers in execution order.
  public var layers: [Layer]
  /// Latency of the run, seconds.
  public var latency: Double
  /// Energy per inference by component, as for layers.
  public var energy: [(component: String, joules: Double)]
  /// Backing-store bytes of the run.
  public var dramBytes: Int
  /// MAC utilisation of the run.
  public var utilization: Double

  /// Compares every field (tuples are not `Hashable`).
  public static func == (a: TraceSummary, b: TraceSummary) -> Bool {
    a.model == b.model && a.device == b.device && a.precision == b.precision
      && a.batch == b.batch
      && a.layers == b.layers && a.latency == b.latency
      && a.dramBytes == b.dramBytes
      && a.energy.map(\.joules) == b.energy.map(\.joules)
  }

  /// Hashes the identifying fields.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(model)
    hasher.combine(device)
    hasher.combine(latency)
  }
}

/// Why a file is not a readable trace summary.
public struct TraceSummaryError: Error, Hashable, Sendable {
  /// What is wrong.
  public var message: String
  /// How to fix it.
  public var hint: String?
}

/// Reads `summary.json` files written by ``SummaryJSON``.
public enum TraceSummaryReader {
  /// Reads a summary's bytes.
  ///
  /// - Returns: The summary, or what is wrong with the file (not JSON,
  ///   another schema, a missing field).
  public static func read(bytes: [UInt8]) -> Result<
    TraceSummary, TraceSummaryError
  > {
    func fail(_ message: String, hint: String? = nil) -> Result<
      TraceSummary, TraceSummaryError
    > {
      .failure(TraceSummaryError(message: message, hint: hint))
    }
    guard
      let object = try? JSONSerialization.jsonObject(with: Data(bytes))
        as? [String: Any]
    else {
      return fail(
        "not a JSON object", hint: "name the summary.json of an edgesim trace")
    }
    guard object["schema"] as? String == SummaryJSON.schema else {
      return fail(
        "the schema is \(object["schema"].map { "'\($0)'" } ?? "missing"), not '\(SummaryJSON.schema)'",
        hint:
          "write the trace again with this edgesim (edgesim simulate --trace)")
    }
    guard let totals = object["totals"] as? [String: Any],
      let layerObjects = object["layers"] as? [[String: Any]]
    else { return fail("'totals' or 'layers' is missing") }
    var layers: [TraceSummary.Layer] = []
    for (index, layer) in layerObjects.enumerated() {
      guard let name = layer["name"] as? String,
        let latency = number(layer["latency_s"]),
        let energy = components(layer["energy"])
      else { return fail("layer \(index) lacks a name, latency_s or energy") }
      layers.append(
        TraceSummary.Layer(
          name: name, op: layer["op"] as? String ?? "", latency: latency,
          energy: energy,
          dramBytes: integer(layer["dram_bytes"]),
          utilization: number(layer["utilization"]) ?? 0,
          bound: layer["bound_detail"] as? String ?? layer["bound"] as? String
            ?? ""))
    }
    guard let latency = number(totals["latency_s"]),
      let energy = components(totals["energy"])
    else {
      return fail("'totals' lacks latency_s or energy")
    }
    return .success(
      TraceSummary(
        model: object["model"] as? String ?? "",
        device: object["device"] as? String ?? "",
        precision: object["precision"] as? String ?? "",
        batch: integer(object["batch"]),
        layers: layers, latency: latency, energy: energy,
        dramBytes: integer(totals["dram_bytes"]),
        utilization: number(totals["mac_utilization"]) ?? 0))
  }

  static func number(_ value: Any?) -> Double? {
    (value as? NSNumber)?.doubleValue
  }

  static func integer(_ value: Any?) -> Int {
    (value as? NSNumber)?.intValue ?? 0
  }

  /// `mac`, `ops`, `dram`, `onchip:<level>` (levels by name), `static`.
  static func components(_ value: Any?) -> [(
    component: String, joules: Double
  )]? {
    guard let energy = value as? [String: Any] else { return nil }
    var result: [(component: String, joules: Double)] = [
      ("mac", number(energy["mac"]) ?? 0), ("ops", number(energy["ops"]) ?? 0),
      ("dram", number(energy["dram"]) ?? 0),
    ]
    let onChip = energy["on_chip"] as? [String: Any] ?? [:]
    for level in onChip.keys.sorted() {
      result.append(("onchip:\(level)", number(onChip[level]) ?? 0))
    }
    result.append(("static", number(energy["static"]) ?? 0))
    return result
  }
}
