/// Top-1 accuracy against energy or latency (log x, linear y) for the
/// points whose accuracy was evaluated, with each context's front of that
/// pair as a staircase, each context's three-objective front outlined,
/// chosen points marked, each model's float accuracy as a dashed reference
/// line and a legend of the contexts.
enum AccuracyChart {
  /// The x axis: energy or latency.
  enum Axis {
    case energy
    case latency
  }

  /// The chart, or `nil` when no point has an accuracy.
  static func render(_ scatter: SweepScatter, against axis: Axis) -> String? {
    let points = scatter.report.points
    let indices = points.indices.filter {
      (points[$0].top1?.isFinite ?? false) && points[$0].latency > 0
        && points[$0].energy > 0
    }
    guard !indices.isEmpty else { return nil }
    let value = { (p: SweepReportPoint) in
      axis == .energy ? p.energy : p.latency
    }
    let area = SweepScatter.area
    let x = Scale(
      domain: Scale.covering(indices.map { value(points[$0]) }, log: true),
      range: (area.left, area.right), log: true)
    let references = scatter.report.floatTop1.filter(\.value.isFinite).sorted {
      $0.key < $1.key
    }
    let accuracies =
      indices.compactMap { points[$0].top1 } + references.map(\.value)
    // Accuracies are fractions: the axis never runs past 0% or 100%.
    let covering = Scale.covering(accuracies, log: false)
    let yDomain =
      max(
        covering.lowerBound, 0)...max(
        min(covering.upperBound, 1), max(covering.lowerBound, 0) + 0.01)
    let y = Scale(domain: yDomain, range: (area.bottom, area.top))
    let legend = scatter.legendLayout(indices: indices)
    var canvas = SVGCanvas(width: SweepScatter.width, height: legend.height)
    area.drawAxes(
      on: &canvas, x: x, y: y,
      xLabel: axis == .energy ? "energy per inference" : "latency of the batch",
      yLabel: "top-1 accuracy",
      xFormat: { NumberFormat.si($0, axis == .energy ? "J" : "s") },
      yFormat: { NumberFormat.percent($0) })
    for (model, top1) in references {
      canvas.line(
        x1: area.left, y1: y(top1), x2: area.right, y2: y(top1),
        class: "ceiling")
      canvas.text(
        "float \(model): \(NumberFormat.percent(top1))", x: area.right - 6,
        y: y(top1) - 4, anchor: "end", class: "note")
    }
    let objectives: ParetoFront.Objectives =
      axis == .energy ? [.energy, .accuracy] : [.latency, .accuracy]
    let px = { (p: SweepReportPoint) in x(value(p)) }
    let py = { (p: SweepReportPoint) in y(p.top1 ?? 0) }
    scatter.drawFronts(
      on: &canvas, indices: indices, objectives: objectives, x: px, y: py)
    scatter.drawPoints(
      on: &canvas, indices: indices,
      front: scatter.front.filter(Set(indices).contains), x: px, y: py)
    scatter.drawColourBar(on: &canvas)
    scatter.drawLegend(on: &canvas, entries: legend.entries)
    let name = axis == .energy ? "energy per inference" : "latency"
    return canvas.rendered(
      label:
        "Top-1 accuracy against \(name) of the points whose accuracy was evaluated"
    )
  }
}
