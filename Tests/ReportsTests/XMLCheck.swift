import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Well-formedness of the SVG elements inlined in a page.
enum XMLCheck {
  /// Every `<svg …>…</svg>` of the page, in order.
  static func svgElements(_ html: String) -> [String] {
    var result: [String] = []
    var rest = html[...]
    while let open = rest.range(of: "<svg"),
      let close = rest.range(
        of: "</svg>", range: open.upperBound..<rest.endIndex)
    {
      result.append(String(rest[open.lowerBound..<close.upperBound]))
      rest = rest[close.upperBound...]
    }
    return result
  }

  /// `nil` if the text parses as XML, else the parser's error.
  static func problem(_ xml: String) -> String? {
    let parser = XMLParser(data: Data(xml.utf8))
    return parser.parse()
      ? nil
      : "\(parser.parserError.map { "\($0)" } ?? "unknown error") at line \(parser.lineNumber)"
  }
}
