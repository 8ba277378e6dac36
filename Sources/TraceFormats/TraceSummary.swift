/// The figures of a trace's `summary.json` (schema `edgesim.trace/1`) that
/// a comparison needs, taken from its ``TraceDocument``.
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
