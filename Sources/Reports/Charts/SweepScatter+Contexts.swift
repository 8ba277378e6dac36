/// Each context's front on a chart, and the legend below the plot that
/// names the contexts: a model's marker shape and its front's line.
extension SweepScatter {
  /// Front lines' colours, one per model (red is for chosen points).
  static let frontColours = [
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948",
    "#9c755f", "#ff9da7", "#444444",
  ]
  /// Front lines' dashes, one per device.
  static let frontDashes = ["5 3", "1.5 2.5", "9 3 2 3", "12 4"]
  /// Height of a row of the legend.
  static let legendRow = 18.0

  /// The style of a context's front line: its model's colour, its device's
  /// dashes.
  func frontStyle(model: String, device: String) -> String {
    let m = models[model] ?? 0
    let d = devices[device] ?? 0
    return
      "stroke:\(Self.frontColours[m % Self.frontColours.count]);stroke-dasharray:\(Self.frontDashes[d % Self.frontDashes.count])"
  }

  /// The legend's label of a context: the model, and the device when the
  /// sweep has several.
  func label(_ context: SweepContext) -> String {
    let text =
      devices.count > 1
      ? "\(context.model) on \(context.device)" : context.model
    return Truncation.middle(text, 60)
  }

  /// Draws, for each context, the staircase of the two-objective front of
  /// its points among `indices` (the points the chart shows).
  func drawFronts(
    on canvas: inout SVGCanvas, indices: [Int],
    objectives: ParetoFront.Objectives,
    x: (SweepReportPoint) -> Double, y: (SweepReportPoint) -> Double
  ) {
    let shown = Set(indices)
    for context in contexts {
      let members = context.indices.filter(shown.contains)
      guard !members.isEmpty else { continue }
      let twoD = ParetoFront.indices(
        of: members.map { report.points[$0] }, objectives: objectives
      ).map { members[$0] }
      drawStaircase(
        on: &canvas, indices: twoD, x: x, y: y,
        style: frontStyle(model: context.model, device: context.device))
    }
  }

  /// Where the legend's entries go: left to right below the axis label,
  /// wrapping at the chart's width; `height` is the chart's height with it.
  func legendLayout(indices: [Int]) -> (
    entries: [(context: SweepContext, x: Double, y: Double)], height: Double
  ) {
    let shown = Set(indices)
    let area = Self.area
    var entries: [(context: SweepContext, x: Double, y: Double)] = []
    var x = area.left
    var y = area.bottom + 62
    for context in contexts
    where context.indices.contains(where: shown.contains) {
      // 12-pixel text is at most about 7.4 pixels a character.
      let width = 46 + Double(label(context).count) * 7.4
      if x > area.left && x + width > Self.width - 10 {
        x = area.left
        y += Self.legendRow
      }
      entries.append((context, x, y))
      x += width + 18
    }
    let rows = entries.isEmpty ? 0 : (y - area.bottom - 62) / Self.legendRow + 1
    return (entries, area.bottom + 50 + rows * Self.legendRow + 4)
  }

  /// Draws the legend: each context's marker shape, front line and name.
  func drawLegend(
    on canvas: inout SVGCanvas,
    entries: [(context: SweepContext, x: Double, y: Double)]
  ) {
    for (context, x, y) in entries {
      MarkerShape.forModel(models[context.model] ?? 0).draw(
        on: &canvas, cx: x + 6, cy: y - 4, r: 4.5, class: "front",
        extra: "fill=\"\(Palette.unknown)\"")
      canvas.line(
        x1: x + 16, y1: y - 4, x2: x + 40, y2: y - 4, class: "front2d",
        extra:
          "style=\"\(frontStyle(model: context.model, device: context.device))\""
      )
      canvas.text(
        label(context), x: x + 46, y: y, class: "legend",
        title:
          "\(context.model) on \(context.device): \(context.indices.count) points, \(context.front.count) on its front"
      )
    }
  }
}
