/// The sweep's energy against latency, log-log, every point coloured by its
/// top-1 accuracy and shaped by its model: each context's three-objective
/// Pareto front outlined, its energy–latency front drawn as a staircase,
/// chosen points marked, a legend of the contexts.
enum EnergyLatencyChart {
  /// The chart.
  static func render(_ scatter: SweepScatter) -> String {
    let points = scatter.report.points
    let indices = points.indices.filter {
      points[$0].latency > 0 && points[$0].energy > 0
    }
    let area = SweepScatter.area
    let x = Scale(
      domain: Scale.covering(indices.map { points[$0].latency }, log: true),
      range: (area.left, area.right), log: true)
    let y = Scale(
      domain: Scale.covering(indices.map { points[$0].energy }, log: true),
      range: (area.bottom, area.top), log: true)
    let legend = scatter.legendLayout(indices: indices)
    var canvas = SVGCanvas(width: SweepScatter.width, height: legend.height)
    area.drawAxes(
      on: &canvas, x: x, y: y, xLabel: "latency of the batch",
      yLabel: "energy per inference",
      xFormat: { NumberFormat.si($0, "s") },
      yFormat: { NumberFormat.si($0, "J") })
    let px = { (p: SweepReportPoint) in x(p.latency) }
    let py = { (p: SweepReportPoint) in y(p.energy) }
    scatter.drawFronts(
      on: &canvas, indices: indices, objectives: [.energy, .latency], x: px,
      y: py)
    scatter.drawPoints(
      on: &canvas, indices: indices,
      front: scatter.front.filter(Set(indices).contains), x: px, y: py)
    scatter.drawColourBar(on: &canvas)
    scatter.drawLegend(on: &canvas, entries: legend.entries)
    return canvas.rendered(
      label:
        "Energy per inference against latency of every completed point, coloured by top-1 accuracy"
    )
  }
}
