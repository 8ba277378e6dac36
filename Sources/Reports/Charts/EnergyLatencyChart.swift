/// The sweep's energy against latency, log-log, every point coloured by its
/// top-1 accuracy: the three-objective Pareto front outlined, the
/// energy–latency front drawn as a staircase, chosen points marked.
enum EnergyLatencyChart {
  /// The chart; `front` is the three-objective front.
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
    var canvas = SVGCanvas(width: SweepScatter.width, height: area.bottom + 50)
    area.drawAxes(
      on: &canvas, x: x, y: y, xLabel: "latency of the batch",
      yLabel: "energy per inference",
      xFormat: { NumberFormat.si($0, "s") },
      yFormat: { NumberFormat.si($0, "J") })
    let subset = indices.map { points[$0] }
    let twoD = ParetoFront.indices(of: subset, objectives: [.energy, .latency])
      .map { indices[$0] }
    let px = { (p: SweepReportPoint) in x(p.latency) }
    let py = { (p: SweepReportPoint) in y(p.energy) }
    scatter.drawStaircase(on: &canvas, indices: twoD, x: px, y: py)
    scatter.drawPoints(
      on: &canvas, indices: indices,
      front: scatter.front.filter(Set(indices).contains), x: px, y: py)
    scatter.drawColourBar(on: &canvas)
    return canvas.rendered(
      label:
        "Energy per inference against latency of every completed point, coloured by top-1 accuracy"
    )
  }
}
