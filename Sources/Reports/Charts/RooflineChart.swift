/// The roofline (Williams, Waterman and Patterson, CACM 2009), log-log:
/// each layer is a point at its arithmetic intensity (operations per
/// backing-store byte) and achieved operations per second, coloured by
/// what bounds it, under the device's compute roof and memory roof.
///
/// The roofs meet at the ridge point, `peak / bandwidth` operations per
/// byte: layers left of it cannot reach the peak with this bandwidth.
/// Layers that move no backing-store bytes have no intensity; they are
/// drawn in a strip at the right. Units whose peak differs from the
/// device's (post-processing lanes of streaming layers) get a dashed
/// ceiling of their own.
enum RooflineChart {
  static let width = 1100.0
  static let area = PlotArea(left: 90, top: 20, right: 960, bottom: 470)
  static let strip = (left: 975.0, right: 1085.0)

  /// The layers drawn: those that take time and are not fused.
  static func plotted(_ run: TraceReport) -> [ReportLayer] {
    run.layers.filter {
      $0.fusedInto == nil && ($0.achievedOperationsPerSecond ?? 0) > 0
    }
  }

  /// The chart.
  static func render(_ run: TraceReport) -> String {
    let layers = plotted(run)
    let peak = run.peakOperationsPerSecond
    let bandwidth = run.dramBandwidth.flatMap {
      $0.isFinite && $0 > 0 ? $0 : nil
    }
    let ridge = bandwidth.map { peak / $0 }
    let intensities = layers.compactMap(\.arithmeticIntensity).filter { $0 > 0 }
    let xDomain = Scale.covering(
      intensities + (ridge.map { [$0] } ?? []), log: true)
    let achieved = layers.compactMap(\.achievedOperationsPerSecond)
    let ceilings = Set(layers.map(\.peakOperationsPerSecond)).filter {
      $0 > 0 && $0 != peak
    }.sorted()
    let yDomain = Scale.covering(achieved + ceilings + [peak * 1.5], log: true)
    let x = Scale(domain: xDomain, range: (area.left, area.right), log: true)
    let y = Scale(domain: yDomain, range: (area.bottom, area.top), log: true)
    var canvas = SVGCanvas(width: width, height: area.bottom + 80)
    area.drawAxes(
      on: &canvas, x: x, y: y,
      xLabel: "arithmetic intensity (operations per DRAM byte)",
      yLabel: "achieved operations per second", xFormat: NumberFormat.plain,
      yFormat: { NumberFormat.si($0, "OP/s") })
    drawRoof(
      on: &canvas, x: x, y: y, peak: peak, bandwidth: bandwidth, ridge: ridge)
    for c in ceilings {
      let count = layers.filter { $0.peakOperationsPerSecond == c }.count
      canvas.line(
        x1: area.left, y1: y(c), x2: area.right, y2: y(c), class: "ceiling")
      canvas.text(
        "peak of \(count) streaming layer(s): \(NumberFormat.si(c, "OP/s"))",
        x: area.left + 6, y: y(c) - 4,
        class: "note")
    }
    let withoutIntensity = layers.filter { ($0.arithmeticIntensity ?? 0) <= 0 }
      .count
    if withoutIntensity > 0 { drawStrip(on: &canvas, count: withoutIntensity) }
    var noIntensity = 0
    for layer in layers {
      guard let perf = layer.achievedOperationsPerSecond else { continue }
      let px: Double
      if let intensity = layer.arithmeticIntensity, intensity > 0 {
        px = x(intensity)
      } else {
        px = (strip.left + strip.right) / 2 + Double(noIntensity % 7 - 3) * 9
        noIntensity += 1
      }
      let attainable = min(
        layer.peakOperationsPerSecond,
        (layer.arithmeticIntensity ?? .infinity) * (bandwidth ?? .infinity))
      var tip = "\(layer.name) (\(layer.op))\nbound \(layer.bound)\nintensity "
      tip +=
        layer.arithmeticIntensity.map { NumberFormat.significant($0) + " OP/B" }
        ?? "- (no DRAM bytes)"
      tip +=
        "\nachieved \(NumberFormat.si(perf, "OP/s")) (\(NumberFormat.percent(perf / attainable)) of its roof)"
      tip +=
        "\nlatency \(NumberFormat.si(layer.latency, "s")), MAC utilisation \(NumberFormat.percent(layer.utilization))"
      canvas.circle(
        cx: px, cy: y(perf), r: 4.5, class: "pt",
        extra: "fill=\"\(Palette.bound(layer.bound))\"", title: tip)
    }
    let bounds = orderedBounds(layers)
    Legend.draw(
      on: &canvas, entries: bounds.map { ("\($0)-bound", Palette.bound($0)) },
      x: area.left,
      y: area.bottom + 62)
    return canvas.rendered(
      label:
        "Roofline: each layer's arithmetic intensity and achieved operations per second"
    )
  }

  /// The compute roof, the memory roof and the ridge point.
  static func drawRoof(
    on canvas: inout SVGCanvas, x: Scale, y: Scale, peak: Double,
    bandwidth: Double?, ridge: Double?
  ) {
    let lo = x.domain.lowerBound
    let hi = x.domain.upperBound
    guard let bandwidth, let ridge else {
      canvas.line(
        x1: area.left, y1: y(peak), x2: area.right, y2: y(peak), class: "roof")
      canvas.text(
        "compute roof \(NumberFormat.si(peak, "OP/s")); DRAM bandwidth unlimited: no memory roof",
        x: area.left + 6, y: y(peak) - 6, class: "note")
      return
    }
    let start = max(lo, y.domain.lowerBound / bandwidth)
    var points = [(x(start), y(start * bandwidth))]
    if ridge < hi {
      points.append((x(ridge), y(peak)))
      points.append((x(hi), y(peak)))
    } else {
      points.append((x(hi), y(hi * bandwidth)))
    }
    canvas.polyline(points, class: "roof")
    canvas.text(
      "compute roof \(NumberFormat.si(peak, "OP/s")), memory roof \(NumberFormat.si(bandwidth, "B/s"))",
      x: area.left + 6, y: y(peak) - 6, class: "note")
    if ridge < hi && ridge > lo {
      canvas.line(
        x1: x(ridge), y1: y(peak), x2: x(ridge), y2: area.bottom, class: "ridge"
      )
      canvas.text(
        "ridge \(NumberFormat.significant(ridge)) OP/B", x: x(ridge) + 4,
        y: area.bottom - 6, class: "note")
    }
  }

  /// The strip for layers without DRAM traffic.
  static func drawStrip(on canvas: inout SVGCanvas, count: Int) {
    canvas.rect(
      x: strip.left, y: area.top, width: strip.right - strip.left,
      height: area.bottom - area.top,
      class: "strip")
    canvas.text(
      "no DRAM bytes", x: (strip.left + strip.right) / 2, y: area.bottom + 14,
      anchor: "middle", class: "tick")
    canvas.text(
      "(\(count) layers)", x: (strip.left + strip.right) / 2,
      y: area.bottom + 28, anchor: "middle", class: "tick")
  }

  /// The bounds present, compute first, then DRAM, then on-chip levels.
  static func orderedBounds(_ layers: [ReportLayer]) -> [String] {
    let present = Set(layers.map(\.bound))
    let fixed = ["compute", "dram"].filter(present.contains)
    return fixed + present.subtracting(fixed).sorted()
  }
}
