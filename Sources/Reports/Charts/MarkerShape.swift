/// The shape of a sweep point's marker: one per model, so the models of a
/// sweep are told apart at a glance rather than by hovering.
///
/// The fill stays free for accuracy (viridis); five shapes are distinct at
/// 5 pixels, and a sixth model shares the circle again (its front's colour
/// in the legend still sets it apart).
enum MarkerShape: CaseIterable {
  case circle
  case square
  case triangle
  case invertedTriangle
  case plus

  /// The shape of the `index`-th model.
  static func forModel(_ index: Int) -> MarkerShape {
    allCases[index % allCases.count]
  }

  /// Draws the marker centred on (`cx`, `cy`), about as large as a circle
  /// of radius `r`.
  func draw(
    on canvas: inout SVGCanvas, cx: Double, cy: Double, r: Double,
    class cls: String? = nil, extra: String = "", title: String? = nil
  ) {
    let p = SVGCanvas.point
    let d: String
    switch self {
    case .circle:
      canvas.circle(
        cx: cx, cy: cy, r: r, class: cls, extra: extra, title: title)
      return
    case .square:
      let h = r * 0.89  // the circle's area
      d = "M\(p(cx - h, cy - h))H\(c(cx + h))V\(c(cy + h))H\(c(cx - h))Z"
    case .triangle:
      let s = r * 1.35
      d =
        "M\(p(cx, cy - s))L\(p(cx + s * 0.87, cy + s / 2))L\(p(cx - s * 0.87, cy + s / 2))Z"
    case .invertedTriangle:
      let s = r * 1.35
      d =
        "M\(p(cx, cy + s))L\(p(cx + s * 0.87, cy - s / 2))L\(p(cx - s * 0.87, cy - s / 2))Z"
    case .plus:
      let a = r * 1.2
      let t = r * 0.45
      d =
        "M\(p(cx - t, cy - a))H\(c(cx + t))V\(c(cy - t))H\(c(cx + a))V\(c(cy + t))H\(c(cx + t))V\(c(cy + a))H\(c(cx - t))V\(c(cy + t))H\(c(cx - a))V\(c(cy - t))H\(c(cx - t))Z"
    }
    canvas.path(d, class: cls, extra: extra, title: title)
  }

  private func c(_ v: Double) -> String { NumberFormat.coordinate(v) }
}
