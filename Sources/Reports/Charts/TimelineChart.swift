/// The engines' timeline: when the DMA-in, compute and DMA-out engines are
/// busy, under a lane of the layers.
///
/// The whole run is drawn once, with busy intervals merged at the
/// resolution of a pixel (so a deep network stays small); the slowest
/// layers are drawn again up close, one bar per tile group, where the
/// overlap of transfers and compute (double buffering) shows.
enum TimelineChart {
  static let width = 1100.0
  static let left = 90.0
  static let right = 1080.0
  static let lane = 22.0

  /// The whole run.
  static func renderOverview(_ run: TraceReport) -> String {
    let end = max(
      run.latency, run.layers.map { $0.start + $0.latency }.max() ?? 0)
    let x = Scale(domain: 0...max(end, 1e-30), range: (left, right))
    let lanes = run.intervals.isEmpty ? 1 : 4
    let height = 20 + Double(lanes) * lane + 40
    var canvas = SVGCanvas(width: width, height: height)
    let top = 20.0
    drawTimeAxis(
      on: &canvas, x: x, top: top, bottom: top + Double(lanes) * lane,
      since: "the run started")
    canvas.text(
      "layers", x: left - 8, y: top + 15, anchor: "end", class: "label")
    for (i, layer) in run.layers.filter({ $0.latency > 0 }).enumerated() {
      canvas.rect(
        x: x(layer.start), y: top + 3,
        width: max(x(layer.start + layer.latency) - x(layer.start), 0.5),
        height: lane - 6, class: i % 2 == 0 ? "band0" : "band1",
        title:
          "\(layer.name) (\(layer.op))\nstart \(NumberFormat.si(layer.start, "s")), latency \(NumberFormat.si(layer.latency, "s"))\nbound \(layer.bound)"
      )
    }
    if !run.intervals.isEmpty {
      for (n, engine) in EngineInterval.Engine.allCases.enumerated() {
        let y = top + Double(n + 1) * lane
        canvas.text(
          engine.rawValue, x: left - 8, y: y + 15, anchor: "end", class: "label"
        )
        let spans = merged(run.intervals.filter { $0.engine == engine }, x: x)
        let busy = run.intervals.filter { $0.engine == engine }.reduce(0) {
          $0 + $1.duration
        }
        canvas.beginGroup(
          extra: "fill=\"\(Palette.engine(engine))\"",
          title:
            "\(engine.rawValue): busy \(NumberFormat.si(busy, "s")) of \(NumberFormat.si(end, "s")) (\(NumberFormat.percent(busy / max(end, 1e-30))))"
        )
        for (a, b) in spans {
          canvas.rect(x: a, y: y + 4, width: max(b - a, 0.5), height: lane - 8)
        }
        canvas.endGroup()
        if busy <= 0 {
          canvas.text(
            idleNote(engine, run), x: left + 6, y: y + 15, class: "note")
        }
      }
    }
    return canvas.rendered(
      label: "Timeline of the run: layers and the busy intervals of each engine"
    )
  }

  /// Why an engine never works: transfers take no time when the backing
  /// store's bandwidth is unlimited.
  static func idleNote(_ engine: EngineInterval.Engine, _ run: TraceReport)
    -> String
  {
    engine != .compute && run.dramBandwidth == nil
      ? "no transfer time: DRAM bandwidth is unlimited (SCALE-Sim CALC mode)"
      : "never busy"
  }

  /// The layers drawn up close: the `count` slowest, in execution order.
  static func slowestLayers(_ run: TraceReport, count: Int = 3) -> [ReportLayer]
  {
    let ranked = run.layers.enumerated().filter { $0.element.latency > 0 }
      .sorted {
        $0.element.latency != $1.element.latency
          ? $0.element.latency > $1.element.latency : $0.offset < $1.offset
      }
      .prefix(count)
    return ranked.sorted { $0.offset < $1.offset }.map(\.element)
  }

  /// One layer up close: one bar per tile group on each engine.
  static func renderDetail(_ run: TraceReport, layer: ReportLayer) -> String {
    let events = run.intervals.filter { $0.layer == layer.name }
    let x = Scale(
      domain: layer.start...layer.start + max(layer.latency, 1e-30),
      range: (left, right))
    let top = 8.0
    let height = top + 3 * lane + 40
    var canvas = SVGCanvas(width: width, height: height)
    drawTimeAxis(
      on: &canvas, x: x, top: top, bottom: top + 3 * lane,
      since: "the layer started")
    for (n, engine) in EngineInterval.Engine.allCases.enumerated() {
      let y = top + Double(n) * lane
      canvas.text(
        engine.rawValue, x: left - 8, y: y + 15, anchor: "end", class: "label")
      canvas.beginGroup(extra: "fill=\"\(Palette.engine(engine))\"")
      for e in events where e.engine == engine {
        let tiles =
          e.tiles > 1
          ? "tiles \(e.firstTile)–\(e.firstTile + e.tiles - 1)"
          : "tile \(e.firstTile)"
        canvas.rect(
          x: x(e.start), y: y + 4,
          width: max(x(e.start + e.duration) - x(e.start), 0.5),
          height: lane - 8,
          class: "seg",
          title:
            "\(engine.rawValue), \(tiles)\nfrom \(NumberFormat.si(e.start - layer.start, "s")) for \(NumberFormat.si(e.duration, "s"))"
        )
      }
      canvas.endGroup()
      if !events.contains(where: { $0.engine == engine && $0.duration > 0 }) {
        canvas.text(
          idleNote(engine, run), x: left + 6, y: y + 15, class: "note")
      }
    }
    return canvas.rendered(
      label: "Timeline of layer \(layer.name), tile groups on each engine")
  }

  /// Time ticks (from the start of the scale's domain) and grid lines;
  /// `since` names that start.
  static func drawTimeAxis(
    on canvas: inout SVGCanvas, x: Scale, top: Double, bottom: Double,
    since: String
  ) {
    let relative = Scale(
      domain: 0...(x.domain.upperBound - x.domain.lowerBound),
      range: (x.lower, x.upper))
    for t in relative.ticks(count: 8) {
      let px = relative(t)
      canvas.line(x1: px, y1: top, x2: px, y2: bottom, class: "grid")
      canvas.text(
        NumberFormat.si(t, "s"), x: px, y: bottom + 14, anchor: "middle",
        class: "tick")
    }
    canvas.text(
      "time since \(since)", x: (left + right) / 2,
      y: bottom + 32, anchor: "middle", class: "axis")
  }

  /// Busy spans in pixels: intervals sorted by start and merged when they
  /// overlap or lie within half a pixel of each other.
  static func merged(_ intervals: [EngineInterval], x: Scale) -> [(
    Double, Double
  )] {
    let spans = intervals.map { (x($0.start), x($0.start + $0.duration)) }
      .sorted { $0.0 < $1.0 }
    var result: [(Double, Double)] = []
    for (a, b) in spans {
      if let last = result.last, a <= last.1 + 0.5 {
        result[result.count - 1].1 = max(last.1, b)
      } else {
        result.append((a, b))
      }
    }
    return result
  }
}
