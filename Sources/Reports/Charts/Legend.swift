/// A row of coloured squares with labels.
enum Legend {
  /// Draws the entries left to right from (`x`, `y`), `y` being the
  /// text's baseline.
  static func draw(
    on canvas: inout SVGCanvas, entries: [(String, String)], x: Double,
    y: Double
  ) {
    var left = x
    for (label, colour) in entries {
      canvas.rect(
        x: left, y: y - 9, width: 10, height: 10, extra: "fill=\"\(colour)\"")
      canvas.text(label, x: left + 14, y: y, class: "legend")
      left += 30 + Double(label.count) * 7.2
    }
  }
}
