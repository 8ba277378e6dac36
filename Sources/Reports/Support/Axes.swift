/// Axes, grid lines and tick labels of a chart's plotting area.
struct PlotArea {
  /// Left, top, right and bottom edges of the plotting area, in pixels.
  let left: Double
  let top: Double
  let right: Double
  let bottom: Double

  /// Draws a frame, grid lines at the ticks and tick labels; `format`
  /// writes a tick value.
  func drawAxes(
    on canvas: inout SVGCanvas, x: Scale, y: Scale, xLabel: String,
    yLabel: String,
    xFormat: (Double) -> String, yFormat: (Double) -> String
  ) {
    for t in x.ticks() {
      let px = x(t)
      canvas.line(x1: px, y1: top, x2: px, y2: bottom, class: "grid")
      canvas.text(
        xFormat(t), x: px, y: bottom + 14, anchor: "middle", class: "tick")
    }
    for t in y.ticks() {
      let py = y(t)
      canvas.line(x1: left, y1: py, x2: right, y2: py, class: "grid")
      canvas.text(
        yFormat(t), x: left - 6, y: py + 4, anchor: "end", class: "tick")
    }
    canvas.rect(
      x: left, y: top, width: right - left, height: bottom - top, class: "frame"
    )
    canvas.text(
      xLabel, x: (left + right) / 2, y: bottom + 32, anchor: "middle",
      class: "axis")
    let my = (top + bottom) / 2
    canvas.text(
      yLabel, x: 14, y: my, anchor: "middle", class: "axis",
      extra: "transform=\"rotate(-90 14 \(NumberFormat.coordinate(my)))\"")
  }
}
