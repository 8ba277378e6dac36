extension Diagnostic {
  /// Renders the diagnostic as a compiler does.
  ///
  /// ```
  /// Hardware/bad.yaml:7:10: error: unknown key 'clok'
  ///   clok: 150 MHz
  ///   ^
  ///   hint: did you mean 'clock'?
  /// ```
  ///
  /// The source line is shown when `source` holds the text of the file the
  /// location names; lines longer than 160 scalars are cut around the column so
  /// a multi-megabyte line cannot flood the terminal.
  ///
  /// - Parameter source: The full text of the file, or `nil`.
  /// - Returns: One or more lines without a trailing newline.
  public func rendered(source: String?) -> String {
    rendered(lines: source.map(SourceLines.init))
  }

  /// Renders the diagnostic against a file's indexed lines (for printing
  /// many diagnostics of one file).
  ///
  /// - Parameter indexed: The file's text with its lines indexed, or `nil`.
  /// - Returns: One or more lines without a trailing newline.
  public func rendered(lines indexed: SourceLines?) -> String {
    let source = indexed
    var head = ""
    if let location { head += "\(location.description): " }
    head += "\(severity.rawValue): \(message)"
    var lines = [head]
    if let source, let line = location?.line, let text = source.line(line) {
      let column = max(1, location?.column ?? 1)
      let (shown, caret) = Self.window(text, column: column)
      lines.append("  " + shown)
      lines.append("  " + String(repeating: " ", count: caret) + "^")
    }
    if let hint { lines.append("  hint: \(hint)") }
    return lines.joined(separator: "\n")
  }

  /// The text of a 1-based line, without its terminator, or `nil`.
  static func line(_ number: Int, of source: String) -> Substring? {
    SourceLines(source).line(number)
  }

  /// Cuts a long line to a window around the column; returns the text to show
  /// and the caret's offset in it.
  ///
  /// Tabs and control characters are shown as spaces and `?` so the caret stays
  /// aligned.
  static func window(_ text: Substring, column: Int) -> (String, Int) {
    let scalars = Array(text.unicodeScalars)
    let limit = 160
    var lower = 0
    var upper = scalars.count
    if scalars.count > limit {
      lower = max(0, min(column - 1 - limit / 2, scalars.count - limit))
      upper = min(scalars.count, lower + limit)
    }
    var shown = ""
    shown.unicodeScalars.reserveCapacity(upper - lower + 6)
    if lower > 0 { shown += "..." }
    for scalar in scalars[lower..<upper] {
      switch scalar {
      case "\t": shown.unicodeScalars.append(" ")
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        shown.unicodeScalars.append("?")
      default: shown.unicodeScalars.append(scalar)
      }
    }
    if upper < scalars.count { shown += "..." }
    let caret =
      (lower > 0 ? 3 : 0) + min(max(0, column - 1 - lower), upper - lower)
    return (shown, caret)
  }
}
