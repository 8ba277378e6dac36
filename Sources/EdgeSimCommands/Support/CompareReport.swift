import Foundation
import HardwareModel
import TraceFormats

/// The text of `edgesim compare`.
enum CompareReport {
  /// The text: the two runs, the totals' ratios and the bottleneck
  /// changes first, then the `top` layers whose time changed most (every
  /// layer in execution order when `top` is `nil`), the total row, and the
  /// energy by component.
  static func render(_ c: TraceComparison, top: Int? = nil) -> String {
    func time(_ v: Double?) -> String {
      v.map { UnitFormatter.decimal($0, unit: "s") } ?? "-"
    }
    func energy(_ v: Double?) -> String {
      v.map { UnitFormatter.decimal($0, unit: "J") } ?? "-"
    }
    func bytes(_ v: Double?) -> String {
      v.map { UnitFormatter.binary($0, unit: "B") } ?? "-"
    }
    func percent(_ v: Double?) -> String {
      v.map { String(format: "%.1f%%", $0 * 100) } ?? "-"
    }
    func signed(_ v: Double?, _ format: (Double?) -> String) -> String {
      guard let v else { return "-" }
      return (v > 0 ? "+" : v < 0 ? "−" : "") + format(abs(v))
    }
    func ratio(_ p: TraceComparison.Pair) -> String {
      p.ratio.map { String(format: "×%.3g", $0) } ?? "-"
    }
    func header(
      _ side: String, _ s: TraceSummary, _ point: TraceComparison.PointIdentity?
    )
      -> String
    {
      let run = "\(s.model) on \(s.device), \(s.precision), batch \(s.batch)\n"
      guard let point else { return "\(side): " + run }
      return "\(side): point \(point.pointID)  \(point.parameters)\n   " + run
    }
    var out = header("A", c.a, c.pointA) + header("B", c.b, c.pointB) + "\n"
    out +=
      "latency \(ratio(c.totals.latency)), energy \(ratio(c.totals.energy)), DRAM bytes \(ratio(c.totals.dramBytes)) (B/A)\n"
    let changed = c.boundChanges
    out +=
      changed.isEmpty
      ? "no layer's bottleneck changed\n"
      : "bottleneck changed in \(changed.count) layer(s): "
        + changed.map {
          "\($0.name) (\($0.boundA ?? "-") → \($0.boundB ?? "-"))"
        }.joined(
          separator: ", ") + "\n"
    let shown = top.map { Array(mostChanged(c.rows).prefix($0)) } ?? c.rows
    if let top, top < c.rows.count {
      out +=
        "\nthe \(top) layers whose time changed most (of \(c.rows.count); --all lists every layer):\n"
    } else {
      out += "\n"
    }
    var rows = [
      [
        "layer", "op", "time A", "time B", "Δ time", "energy A", "energy B",
        "Δ energy", "DRAM A",
        "DRAM B", "util A", "util B", "bound A → B",
      ]
    ]
    for r in shown + [c.totals] {
      let bound: String
      if r.name == "total" && r.boundA == nil {
        bound = ""
      } else {
        bound =
          (r.boundA ?? "-")
          + (r.boundChanged
            ? " → " + (r.boundB ?? "-") + " *"
            : r.boundA == nil ? " → " + (r.boundB ?? "-") : "")
      }
      rows.append([
        r.name, r.op, time(r.latency.a), time(r.latency.b),
        signed(r.latency.delta, time),
        energy(r.energy.a), energy(r.energy.b), signed(r.energy.delta, energy),
        bytes(r.dramBytes.a), bytes(r.dramBytes.b), percent(r.utilization.a),
        percent(r.utilization.b),
        bound,
      ])
    }
    out += TextTable.render(rows)
    out += "\n\ntotal energy by component (per inference):\n"
    var parts = [["component", "A", "B", "Δ", "B/A"]]
    for (component, pair) in c.totals.energyByComponent {
      parts.append([
        component, energy(pair.a), energy(pair.b), signed(pair.delta, energy),
        ratio(pair),
      ])
    }
    out += TextTable.render(parts) + "\n"
    return out
  }

  /// The rows by how much their time changed, largest first (a layer in
  /// one run only counts its whole time), ties in execution order.
  static func mostChanged(_ rows: [TraceComparison.Row])
    -> [TraceComparison.Row]
  {
    func change(_ r: TraceComparison.Row) -> Double {
      abs(r.latency.delta ?? (r.latency.a ?? r.latency.b ?? 0))
    }
    return rows.enumerated().sorted {
      (change($1.element), $0.offset) < (change($0.element), $1.offset)
    }.map(\.element)
  }
}
