/// The report's colours: fixed hex values, chosen to stay apart for common
/// colour-vision deficiencies (Tableau 10 and viridis).
enum Palette {
  /// Energy components, by name; on-chip levels take ``onChip`` in order.
  static func energy(_ component: String, onChipIndex: Int) -> String {
    switch component {
    case "mac": "#4e79a7"
    case "ops": "#76b7b2"
    case "dram": "#e15759"
    case "static": "#9c9c9c"
    default: onChip[onChipIndex % onChip.count]
    }
  }

  /// On-chip memory levels, outermost first.
  static let onChip = ["#f28e2b", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]

  /// What bounds a layer: compute, the backing store, or an on-chip level.
  static func bound(_ bound: String) -> String {
    if bound == "compute" { return "#4e79a7" }
    if bound == "dram" { return "#e15759" }
    return "#f28e2b"
  }

  /// The engines of the timeline.
  static func engine(_ engine: EngineInterval.Engine) -> String {
    switch engine {
    case .dmaIn: "#59a14f"
    case .compute: "#4e79a7"
    case .dmaOut: "#e15759"
    }
  }

  /// Viridis at `t` in [0, 1] (dark purple → yellow), linearly between
  /// five stops of matplotlib's table.
  static func viridis(_ t: Double) -> String {
    let stops: [(Double, Double, Double)] = [
      (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
    ]
    let x = min(max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
    let i = min(Int(x), stops.count - 2)
    let f = x - Double(i)
    let a = stops[i]
    let b = stops[i + 1]
    func channel(_ p: Double, _ q: Double) -> Int {
      Int((p + (q - p) * f).rounded())
    }
    return hex(channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
  }

  /// Points without an accuracy.
  static let unknown = "#bbbbbb"

  static func hex(_ r: Int, _ g: Int, _ b: Int) -> String {
    let digits = Array("0123456789abcdef")
    var out = "#"
    for v in [r, g, b] {
      let c = min(max(v, 0), 255)
      out.append(digits[c / 16])
      out.append(digits[c % 16])
    }
    return out
  }
}
