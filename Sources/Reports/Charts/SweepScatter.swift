/// What the sweep's scatter plots share: the points' tooltips, colours and
/// shapes, the thinning of large sweeps, each context's front and the marks
/// of chosen points.
struct SweepScatter {
  static let width = 1100.0
  static let area = PlotArea(left: 90, top: 20, right: 900, bottom: 420)
  /// Cells of this many pixels hold one drawn point each (fronts and
  /// chosen points excepted).
  static let cell = 5.0

  let report: SweepReport
  /// Each model and device's points and three-objective front.
  let contexts: [SweepContext]
  /// Indices of every context's front, context by context.
  let front: [Int]
  /// Indices of chosen points, with their marks.
  let chosen: [(index: Int, mark: ChosenMark)]
  /// The range of measured accuracies, for colours.
  let accuracyRange: ClosedRange<Double>?
  /// Each model's position among the sweep's models (its marker shape and
  /// front colour).
  let models: [String: Int]
  /// Each device's position among the sweep's devices (its front's dashes).
  let devices: [String: Int]

  init(_ report: SweepReport, contexts: [SweepContext]) {
    self.report = report
    self.contexts = contexts
    front = contexts.flatMap(\.front)
    var byID: [String: Int] = [:]
    for (i, p) in report.points.enumerated() where byID[p.id] == nil {
      byID[p.id] = i
    }
    chosen = report.chosen.compactMap { mark in
      byID[mark.pointID].map { ($0, mark) }
    }
    let measured = report.points.compactMap(\.top1).filter(\.isFinite)
    accuracyRange = measured.min().flatMap { lo in
      measured.max().map { lo...$0 }
    }
    let modelNames = Set(report.points.map(\.model)).sorted()
    models = Dictionary(
      uniqueKeysWithValues: modelNames.enumerated().map { ($1, $0) })
    let deviceNames = Set(report.points.map(\.device)).sorted()
    devices = Dictionary(
      uniqueKeysWithValues: deviceNames.enumerated().map { ($1, $0) })
  }

  /// A point's marker shape: its model's.
  func shape(_ p: SweepReportPoint) -> MarkerShape {
    MarkerShape.forModel(models[p.model] ?? 0)
  }

  /// A point's fill: viridis over the measured accuracies, grey without one.
  func colour(_ p: SweepReportPoint) -> String {
    guard let top1 = p.top1, top1.isFinite, let range = accuracyRange else {
      return Palette.unknown
    }
    let span = range.upperBound - range.lowerBound
    return Palette.viridis(span > 0 ? (top1 - range.lowerBound) / span : 1)
  }

  /// A point's tooltip.
  func tooltip(_ p: SweepReportPoint, count: Int) -> String {
    var tip = "\(p.id)\n\(p.model) on \(p.device), batch \(p.batch)"
    if !p.precision.isEmpty { tip += "\nprecision \(p.precision)" }
    if !p.hardware.isEmpty { tip += "\nhardware \(p.hardware)" }
    tip +=
      "\nlatency \(NumberFormat.si(p.latency, "s")), energy \(NumberFormat.si(p.energy, "J"))"
    tip += "\ntop-1 " + (p.top1.map(NumberFormat.percent) ?? "not evaluated")
    if count > 1 { tip += "\n(stands for \(count) points in this spot)" }
    return tip
  }

  /// Draws the thinned points, then the front's points outlined, then the
  /// chosen points' diamonds.
  ///
  /// Returns how many markers were drawn.
  @discardableResult
  func drawPoints(
    on canvas: inout SVGCanvas, indices: [Int], front: [Int],
    x: (SweepReportPoint) -> Double,
    y: (SweepReportPoint) -> Double
  ) -> Int {
    let included = Set(indices)
    var keep: [Int] = []
    for i in front + chosen.map(\.index)
    where included.contains(i) && !keep.contains(i) {
      keep.append(i)
    }
    let drawn = ScatterSample.select(
      report.points, indices: indices, x: x, y: y, cell: Self.cell, keep: keep)
    let frontSet = Set(front)
    for d in drawn where !frontSet.contains(d.index) {
      let p = report.points[d.index]
      shape(p).draw(
        on: &canvas, cx: x(p), cy: y(p), r: d.count > 1 ? 3.2 : 2.6,
        extra: "fill=\"\(colour(p))\"",
        title: tooltip(p, count: d.count))
    }
    for i in front {
      let p = report.points[i]
      shape(p).draw(
        on: &canvas, cx: x(p), cy: y(p), r: 4.5, class: "front",
        extra: "fill=\"\(colour(p))\"",
        title: "on the Pareto front of \(p.model) on \(p.device)\n"
          + tooltip(p, count: 1))
    }
    for (n, c) in chosen.enumerated() where included.contains(c.index) {
      let p = report.points[c.index]
      let px = x(p)
      let py = y(p)
      let d =
        "M\(SVGCanvas.point(px, py - 9))L\(SVGCanvas.point(px + 9, py))L\(SVGCanvas.point(px, py + 9))L\(SVGCanvas.point(px - 9, py))Z"
      canvas.path(
        d, class: "chosen",
        title:
          "chosen (\(c.mark.objective), budget \(NumberFormat.significant(c.mark.budget)) pt): \(c.mark.context)\n"
          + tooltip(p, count: 1))
      // Alternate above and below, so neighbouring labels do not overlap.
      canvas.text(
        "chosen \(n + 1)", x: px + 11, y: n % 2 == 0 ? py - 8 : py + 16,
        class: "chosenlabel")
    }
    return drawn.count
  }

  /// A staircase through a two-objective front, sorted along x, in the
  /// style of its context (``frontStyle(model:device:)``).
  func drawStaircase(
    on canvas: inout SVGCanvas, indices: [Int], x: (SweepReportPoint) -> Double,
    y: (SweepReportPoint) -> Double, style: String
  ) {
    let points = indices.map { (x(report.points[$0]), y(report.points[$0])) }
      .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    var steps: [(Double, Double)] = []
    for p in points {
      if let last = steps.last { steps.append((p.0, last.1)) }
      steps.append(p)
    }
    canvas.polyline(steps, class: "front2d", extra: "style=\"\(style)\"")
  }

  /// The colour bar of accuracies, at the right of the plot.
  func drawColourBar(on canvas: inout SVGCanvas) {
    let left = 930.0
    canvas.text("top-1", x: left, y: Self.area.top + 10, class: "legend")
    guard let range = accuracyRange else {
      canvas.rect(
        x: left, y: Self.area.top + 20, width: 14, height: 14,
        extra: "fill=\"\(Palette.unknown)\"")
      canvas.text(
        "not evaluated", x: left + 20, y: Self.area.top + 31, class: "legend")
      return
    }
    let steps = 20
    let h = 200.0 / Double(steps)
    for s in 0..<steps {
      let t = 1 - (Double(s) + 0.5) / Double(steps)
      canvas.rect(
        x: left, y: Self.area.top + 20 + Double(s) * h, width: 14,
        height: h + 0.2, extra: "fill=\"\(Palette.viridis(t))\"")
    }
    canvas.text(
      NumberFormat.percent(range.upperBound), x: left + 20,
      y: Self.area.top + 30, class: "legend")
    canvas.text(
      NumberFormat.percent(range.lowerBound), x: left + 20,
      y: Self.area.top + 220, class: "legend")
    canvas.rect(
      x: left, y: Self.area.top + 234, width: 14, height: 14,
      extra: "fill=\"\(Palette.unknown)\"")
    canvas.text(
      "not evaluated", x: left + 20, y: Self.area.top + 245, class: "legend")
    canvas.circle(
      cx: left + 7, cy: Self.area.top + 268, r: 4.5, class: "front",
      extra: "fill=\"#ffffff\"")
    canvas.text(
      "on its front", x: left + 20, y: Self.area.top + 272, class: "legend")
    canvas.path(
      "M\(SVGCanvas.point(left + 7, Self.area.top + 282))l7 8l-7 8l-7 -8Z",
      class: "chosen")
    canvas.text(
      "chosen point", x: left + 20, y: Self.area.top + 294, class: "legend")
  }
}
