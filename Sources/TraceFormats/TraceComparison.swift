/// Two traces compared layer by layer: what changed from A to B.
///
/// Layers are aligned by name, in A's order, followed by layers only B has.
/// A layer present on one side only has `nil` figures on the other.
public struct TraceComparison: Sendable {
  /// One figure on both sides.
  public struct Pair: Hashable, Sendable {
    /// A's value, if A has it.
    public var a: Double?
    /// B's value, if B has it.
    public var b: Double?

    /// `b − a`, when both exist.
    public var delta: Double? {
      guard let a, let b else { return nil }
      return b - a
    }

    /// `b / a`, when both exist and `a ≠ 0`.
    public var ratio: Double? {
      guard let a, let b, a != 0 else { return nil }
      return b / a
    }
  }

  /// One aligned layer.
  public struct Row: Sendable {
    /// The layer's name.
    public var name: String
    /// The operator type.
    public var op: String
    /// Latency, seconds.
    public var latency: Pair
    /// Total energy, joules.
    public var energy: Pair
    /// Energy per component (the union of both sides' components).
    public var energyByComponent: [(component: String, pair: Pair)]
    /// Backing-store bytes.
    public var dramBytes: Pair
    /// MAC utilisation.
    public var utilization: Pair
    /// A's bound, if A has the layer.
    public var boundA: String?
    /// B's bound, if B has the layer.
    public var boundB: String?

    /// Whether both sides have the layer and its bottleneck differs.
    public var boundChanged: Bool {
      guard let boundA, let boundB else { return false }
      return boundA != boundB
    }
  }

  /// The sweep point a side stands for, when the comparison is of two
  /// points of a results file rather than two trace folders.
  public struct PointIdentity: Hashable, Sendable {
    /// The point's stable identifier (16 hexadecimal digits).
    public var pointID: String
    /// Its canonical parameter text.
    public var parameters: String

    /// Creates the identity.
    public init(pointID: String, parameters: String) {
      self.pointID = pointID
      self.parameters = parameters
    }
  }

  /// The two summaries.
  public var a: TraceSummary
  /// The second summary.
  public var b: TraceSummary
  /// Aligned layers.
  public var rows: [Row]
  /// Totals of the runs (name `total`, no bounds).
  public var totals: Row
  /// The sweep point A stands for, if it is one.
  public var pointA: PointIdentity?
  /// The sweep point B stands for, if it is one.
  public var pointB: PointIdentity?

  /// Compares two summaries.
  ///
  /// - Parameters:
  ///   - a: The first run (read from a trace, or made from a run in memory
  ///     with ``TraceSummary/init(_:)``).
  ///   - b: The second run.
  ///   - points: The sweep points the runs stand for, when they are points
  ///     simulated again from a results file.
  /// - Complexity: O(n) in the number of layers.
  public init(
    _ a: TraceSummary, _ b: TraceSummary,
    points: (a: PointIdentity, b: PointIdentity)? = nil
  ) {
    self.a = a
    self.b = b
    pointA = points?.a
    pointB = points?.b
    let bByName = Dictionary(
      b.layers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let aNames = Set(a.layers.map(\.name))
    var rows: [Row] = []
    for layer in a.layers { rows.append(Self.row(layer, bByName[layer.name])) }
    for layer in b.layers where !aNames.contains(layer.name) {
      rows.append(Self.row(nil, layer))
    }
    self.rows = rows
    let aTotal = TraceSummary.Layer(
      name: "total", op: "", latency: a.latency, energy: a.energy,
      dramBytes: a.dramBytes,
      utilization: a.utilization, bound: "")
    let bTotal = TraceSummary.Layer(
      name: "total", op: "", latency: b.latency, energy: b.energy,
      dramBytes: b.dramBytes,
      utilization: b.utilization, bound: "")
    var totals = Self.row(aTotal, bTotal)
    totals.boundA = nil
    totals.boundB = nil
    self.totals = totals
  }

  /// The layers whose bottleneck changed.
  public var boundChanges: [Row] { rows.filter(\.boundChanged) }

  static func row(_ a: TraceSummary.Layer?, _ b: TraceSummary.Layer?) -> Row {
    var components: [String] = []
    for name in (a?.energy.map(\.component) ?? [])
      + (b?.energy.map(\.component) ?? [])
    where !components.contains(name) {
      components.append(name)
    }
    func joules(_ layer: TraceSummary.Layer?, _ name: String) -> Double? {
      guard let layer else { return nil }
      return layer.energy.first { $0.component == name }?.joules ?? 0
    }
    return Row(
      name: a?.name ?? b?.name ?? "", op: a?.op ?? b?.op ?? "",
      latency: Pair(a: a?.latency, b: b?.latency),
      energy: Pair(a: a?.totalEnergy, b: b?.totalEnergy),
      energyByComponent: components.map {
        ($0, Pair(a: joules(a, $0), b: joules(b, $0)))
      },
      dramBytes: Pair(
        a: a.map { Double($0.dramBytes) }, b: b.map { Double($0.dramBytes) }),
      utilization: Pair(a: a?.utilization, b: b?.utilization),
      boundA: a?.bound, boundB: b?.bound)
  }
}

extension TraceComparison {
  /// The comparison as JSON (`edgesim compare --json`): both runs'
  /// identities (with `point_id` and `parameters` when they are sweep
  /// points), every aligned layer with each figure's `a`, `b`, `delta`
  /// and `ratio`, the totals, and the names of layers whose bound changed.
  public var json: JSONValue {
    func pair(_ p: Pair) -> JSONValue {
      .object([
        "a": p.a.map(JSONValue.number) ?? .null,
        "b": p.b.map(JSONValue.number) ?? .null,
        "delta": p.delta.map(JSONValue.number) ?? .null,
        "ratio": p.ratio.map(JSONValue.number) ?? .null,
      ])
    }
    func row(_ r: Row) -> JSONValue {
      var energy: [String: JSONValue] = ["total": pair(r.energy)]
      for (component, p) in r.energyByComponent { energy[component] = pair(p) }
      return .object([
        "name": .string(r.name), "op": .string(r.op),
        "latency_s": pair(r.latency),
        "energy_j": .object(energy), "dram_bytes": pair(r.dramBytes),
        "utilization": pair(r.utilization),
        "bound": .object([
          "a": r.boundA.map(JSONValue.string) ?? .null,
          "b": r.boundB.map(JSONValue.string) ?? .null,
          "changed": .bool(r.boundChanged),
        ]),
      ])
    }
    func identity(_ s: TraceSummary, _ point: PointIdentity?) -> JSONValue {
      var fields: [String: JSONValue] = [
        "model": .string(s.model), "device": .string(s.device),
        "precision": .string(s.precision),
        "batch": .int(s.batch),
      ]
      if let point {
        fields["point_id"] = .string(point.pointID)
        fields["parameters"] = .string(point.parameters)
      }
      return .object(fields)
    }
    return .object([
      "schema": .string("edgesim.compare/1"), "a": identity(a, pointA),
      "b": identity(b, pointB),
      "layers": .array(rows.map(row)), "totals": row(totals),
      "bound_changed": .array(boundChanges.map { .string($0.name) }),
    ])
  }
}
