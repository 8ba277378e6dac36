/// A small writer of SVG markup: shapes, text and groups appended in
/// order, every text escaped and every number in one format.
///
/// Charts draw with it; ``rendered`` wraps the body in an `<svg>` element
/// with a `viewBox`, a role and an accessible title. No namespace URL is
/// written: inline SVG in HTML needs none, and the page holds no URLs.
struct SVGCanvas {
  /// Width of the drawing, in user units (pixels at 100%).
  let width: Double
  /// Height of the drawing.
  let height: Double
  /// The markup so far.
  private(set) var body = ""

  init(width: Double, height: Double) {
    self.width = width
    self.height = height
  }

  private static func c(_ v: Double) -> String { NumberFormat.coordinate(v) }

  private static func titled(_ title: String?) -> String {
    title.map { "<title>\(Escaping.text($0))</title>" } ?? ""
  }

  private static func attributes(_ cls: String?, _ extra: String) -> String {
    (cls.map { " class=\"\($0)\"" } ?? "") + (extra.isEmpty ? "" : " " + extra)
  }

  /// A rectangle; `title` becomes its tooltip.
  mutating func rect(
    x: Double, y: Double, width: Double, height: Double,
    class cls: String? = nil,
    extra: String = "", title: String? = nil
  ) {
    let open =
      "<rect x=\"\(Self.c(x))\" y=\"\(Self.c(y))\" width=\"\(Self.c(max(width, 0)))\" height=\"\(Self.c(max(height, 0)))\""
      + Self.attributes(cls, extra)
    body +=
      title == nil ? open + "/>" : open + ">" + Self.titled(title) + "</rect>"
  }

  /// A line segment.
  mutating func line(
    x1: Double, y1: Double, x2: Double, y2: Double, class cls: String? = nil,
    extra: String = ""
  ) {
    body +=
      "<line x1=\"\(Self.c(x1))\" y1=\"\(Self.c(y1))\" x2=\"\(Self.c(x2))\" y2=\"\(Self.c(y2))\""
      + Self.attributes(cls, extra) + "/>"
  }

  /// A circle; `title` becomes its tooltip.
  mutating func circle(
    cx: Double, cy: Double, r: Double, class cls: String? = nil,
    extra: String = "",
    title: String? = nil
  ) {
    let open =
      "<circle cx=\"\(Self.c(cx))\" cy=\"\(Self.c(cy))\" r=\"\(Self.c(r))\""
      + Self.attributes(cls, extra)
    body +=
      title == nil ? open + "/>" : open + ">" + Self.titled(title) + "</circle>"
  }

  /// A polyline through points.
  mutating func polyline(
    _ points: [(Double, Double)], class cls: String? = nil, extra: String = ""
  ) {
    guard !points.isEmpty else { return }
    let list = points.map { "\(Self.c($0.0)),\(Self.c($0.1))" }.joined(
      separator: " ")
    body += "<polyline points=\"\(list)\"" + Self.attributes(cls, extra) + "/>"
  }

  /// A path from raw path data (built from formatted coordinates).
  mutating func path(
    _ d: String, class cls: String? = nil, extra: String = "",
    title: String? = nil
  ) {
    let open = "<path d=\"\(d)\"" + Self.attributes(cls, extra)
    body +=
      title == nil ? open + "/>" : open + ">" + Self.titled(title) + "</path>"
  }

  /// Text; `anchor` is `start`, `middle` or `end`.
  mutating func text(
    _ s: String, x: Double, y: Double, anchor: String = "start",
    class cls: String? = nil,
    extra: String = "", title: String? = nil
  ) {
    let a = anchor == "start" ? "" : " text-anchor=\"\(anchor)\""
    body +=
      "<text x=\"\(Self.c(x))\" y=\"\(Self.c(y))\"\(a)"
      + Self.attributes(cls, extra) + ">"
      + Self.titled(title) + Escaping.text(s) + "</text>"
  }

  /// Opens a group; its `title` is the tooltip of everything inside.
  mutating func beginGroup(
    class cls: String? = nil, extra: String = "", title: String? = nil
  ) {
    body += "<g" + Self.attributes(cls, extra) + ">" + Self.titled(title)
  }

  /// Closes the innermost group.
  mutating func endGroup() { body += "</g>" }

  /// A path-data point (`M`/`L` arguments).
  static func point(_ x: Double, _ y: Double) -> String { "\(c(x)) \(c(y))" }

  /// The `<svg>` element; `label` is its accessible title.
  func rendered(label: String) -> String {
    "<svg class=\"chart\" viewBox=\"0 0 \(Self.c(width)) \(Self.c(height))\" width=\"\(Self.c(width))\" height=\"\(Self.c(height))\" role=\"img\" aria-label=\"\(Escaping.text(label))\">"
      + "<title>\(Escaping.text(label))</title>" + body + "</svg>"
  }
}
