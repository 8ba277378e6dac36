import HardwareModel

/// Writes calibration factors into a hardware file's text: the top-level
/// `efficiency:` block is replaced (or appended when there is none), every
/// other line, comment and key order is kept.
///
/// The block ends at the first non-blank line that starts in column 1 (the
/// next key or a comment of its own). Values print in Swift's shortest
/// round-trip form, so the file read back holds exactly the written
/// factors. Callers re-read the result with ``HardwareLoader`` before
/// writing it.
public enum EfficiencyWriter {
  /// The text with its `efficiency` block replaced.
  ///
  /// - Parameters:
  ///   - text: The hardware file's text.
  ///   - efficiency: The factors to write, one line per operator class in
  ///     ``OperatorClass`` order.
  ///   - comment: Comment lines written at the top of the block (without
  ///     `#`).
  /// - Returns: The new text.
  public static func rewrite(
    _ text: String, efficiency: [OperatorClass: CalibrationFactor],
    comment: [String] = []
  ) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    let trailingNewline = lines.last == ""
    if trailingNewline { lines.removeLast() }
    var block = ["efficiency:"]
    block += comment.map { "  # \($0)" }
    for operatorClass in OperatorClass.allCases {
      guard let factor = efficiency[operatorClass] else { continue }
      block.append(
        "  \(operatorClass.rawValue): {value: \(factor.value), fitted_to: \(quoted(factor.fittedTo))}"
      )
    }
    if let start = lines.firstIndex(where: { isKey($0, "efficiency") }) {
      var end = start + 1
      while end < lines.count, !startsInFirstColumn(lines[end]) { end += 1 }
      // Blank lines before the next key stay outside the block.
      while end > start + 1, isBlank(lines[end - 1]) { end -= 1 }
      lines.replaceSubrange(start..<end, with: block)
    } else {
      lines += block
    }
    return lines.joined(separator: "\n") + (trailingNewline ? "\n" : "")
  }

  /// A YAML double-quoted scalar.
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": result += "\\\\"
      case "\"": result += "\\\""
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }

  static func isKey(_ line: String, _ key: String) -> Bool {
    guard line.hasPrefix(key) else { return false }
    let rest = line.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }
    return rest.first == ":"
  }

  static func isBlank(_ line: String) -> Bool {
    line.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
  }

  static func startsInFirstColumn(_ line: String) -> Bool {
    guard let first = line.first else { return false }
    return !isBlank(line) && first != " " && first != "\t"
  }
}
