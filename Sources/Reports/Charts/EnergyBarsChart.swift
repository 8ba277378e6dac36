/// Per-layer stacked energy bars: one horizontal bar per layer, split by
/// component (MACs, other operations, each on-chip level, DRAM, static).
///
/// Fused activations have no bar of their own: their energy is drawn on
/// their producer's bar and named in its tooltip. Layers that take no
/// energy (views) are left out. Bars run horizontally so every layer's
/// name can be read, whatever the network's depth.
enum EnergyBarsChart {
  static let width = 1100.0
  static let labelWidth = 210.0
  static let rowHeight = 14.0

  /// A bar: a layer and the activations fused into it.
  struct Row {
    var layer: ReportLayer
    var energy: [EnergyComponent]
    var fused: [String]
  }

  /// The bars, in execution order.
  static func rows(_ run: TraceReport) -> [Row] {
    var rows: [Row] = []
    var position: [String: Int] = [:]
    for layer in run.layers {
      if let producer = layer.fusedInto, let i = position[producer] {
        rows[i].fused.append(layer.name)
        for c in layer.energy {
          if let j = rows[i].energy.firstIndex(where: { $0.name == c.name }) {
            rows[i].energy[j].joules += c.joules
          } else {
            rows[i].energy.append(c)
          }
        }
        continue
      }
      position[layer.name] = rows.count
      rows.append(Row(layer: layer, energy: layer.energy, fused: []))
    }
    return rows.filter { $0.energy.contains { $0.joules > 0 } }
  }

  /// The component names in stacking order, over every layer, leaving out
  /// those that are zero everywhere (static energy of a device without
  /// static power).
  static func components(_ run: TraceReport) -> [String] {
    var names: [String] = []
    for c in run.energy + run.layers.flatMap(\.energy)
    where !names.contains(c.name) {
      names.append(c.name)
    }
    let used = Set(
      (run.energy + run.layers.flatMap(\.energy)).filter { $0.joules > 0 }.map(
        \.name))
    return names.filter(used.contains)
  }

  /// The colour of each component, on-chip levels in order.
  static func colours(_ names: [String]) -> [String: String] {
    var result: [String: String] = [:]
    var level = 0
    for name in names {
      result[name] = Palette.energy(name, onChipIndex: level)
      if name.hasPrefix("onchip:") { level += 1 }
    }
    return result
  }

  /// A readable component name: `on-chip sram` for `onchip:sram`.
  static func label(_ component: String) -> String {
    switch component {
    case "mac": "MAC"
    case "ops": "other ops"
    case "dram": "DRAM"
    case "static": "static"
    default:
      component.hasPrefix("onchip:")
        ? "on-chip " + component.dropFirst(7) : component
    }
  }

  /// The chart.
  static func render(_ run: TraceReport) -> String {
    let rows = rows(run)
    let names = components(run)
    let colour = colours(names)
    let top = 56.0
    let height = top + Double(max(rows.count, 1)) * rowHeight + 12
    var canvas = SVGCanvas(width: width, height: height)
    Legend.draw(
      on: &canvas, entries: names.map { (label($0), colour[$0] ?? "#000") },
      x: labelWidth, y: 12)
    let maximum =
      rows.map { $0.energy.reduce(0) { $0 + max($1.joules, 0) } }.max() ?? 0
    let x = Scale(
      domain: 0...max(maximum, 1e-30), range: (labelWidth, width - 20))
    for t in x.ticks(count: 6) {
      canvas.line(
        x1: x(t), y1: top - 4, x2: x(t), y2: height - 12, class: "grid")
      canvas.text(
        NumberFormat.si(t, "J"), x: x(t), y: top - 8, anchor: "middle",
        class: "tick")
    }
    for (i, row) in rows.enumerated() {
      let y = top + Double(i) * rowHeight
      let total = row.energy.reduce(0) { $0 + $1.joules }
      var tip =
        "\(row.layer.name) (\(row.layer.op))\nenergy \(NumberFormat.si(total, "J"))"
      for c in row.energy where c.joules > 0 {
        tip +=
          "\n  \(label(c.name)): \(NumberFormat.si(c.joules, "J")) (\(NumberFormat.percent(c.joules / total)))"
      }
      if !row.fused.isEmpty {
        tip += "\nincludes fused " + row.fused.joined(separator: ", ")
      }
      canvas.beginGroup(title: tip)
      canvas.text(
        Truncation.middle(row.layer.name, 30), x: labelWidth - 6, y: y + 10,
        anchor: "end", class: "label")
      var left = labelWidth
      for name in names {
        let joules = row.energy.filter { $0.name == name }.reduce(0) {
          $0 + $1.joules
        }
        guard joules > 0 else { continue }
        let w = x(joules) - x(0)
        canvas.rect(
          x: left, y: y + 2, width: w, height: rowHeight - 3,
          extra: "fill=\"\(colour[name] ?? "#000")\"")
        left += w
      }
      canvas.endGroup()
    }
    canvas.line(
      x1: labelWidth, y1: top - 4, x2: labelWidth, y2: height - 12,
      class: "axisline")
    return canvas.rendered(
      label: "Energy per inference of each layer, by component")
  }

  /// One bar of the run's total energy split by component, with
  /// percentages.
  static func renderTotal(_ run: TraceReport) -> String {
    let names = components(run)
    let colour = colours(names)
    let total = run.totalEnergy
    var canvas = SVGCanvas(width: width, height: 58)
    let x = Scale(domain: 0...max(total, 1e-30), range: (20, width - 20))
    var left = 20.0
    for c in run.energy where c.joules > 0 {
      let w = x(c.joules) - x(0)
      let tip =
        "\(label(c.name)): \(NumberFormat.si(c.joules, "J")) (\(NumberFormat.percent(c.joules / total)))"
      canvas.rect(
        x: left, y: 6, width: w, height: 24,
        extra: "fill=\"\(colour[c.name] ?? "#000")\"", title: tip)
      if w > 70 {
        canvas.text(
          "\(label(c.name)) \(NumberFormat.percent(c.joules / total))",
          x: left + 4, y: 22, class: "inbar")
      }
      left += w
    }
    Legend.draw(
      on: &canvas, entries: names.map { (label($0), colour[$0] ?? "#000") },
      x: 20, y: 44)
    return canvas.rendered(
      label: "Energy per inference of the run, by component")
  }
}
