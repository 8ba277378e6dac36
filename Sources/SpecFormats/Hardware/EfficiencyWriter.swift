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
    var block = ["efficiency:"]
    block += comment.map { "  # \($0)" }
    for operatorClass in OperatorClass.allCases {
      guard let factor = efficiency[operatorClass] else { continue }
      block.append(
        "  \(operatorClass.rawValue): {value: \(factor.value), fitted_to: \(quoted(factor.fittedTo))}"
      )
    }
    return replacingBlock("efficiency", in: text, with: block)
  }

  /// The text with its `runtime` block replaced (or appended), one line
  /// per parameter in ``RuntimeParameter`` order; times (`dispatch`,
  /// `thread_dispatch`, `thread_wake`, `spin_window`) are written in
  /// microseconds, rates
  /// (`weight_packing`) in GB/s.
  public static func rewrite(
    _ text: String, runtime: RuntimeModel, comment: [String] = []
  ) -> String {
    var block = ["runtime:"]
    block += comment.map { "  # \($0)" }
    for parameter in RuntimeParameter.allCases {
      guard let figure = runtime.parameters[parameter] else { continue }
      let value =
        parameter.isTime
        ? "\(sixDigits(figure.value * 1e6)) us"
        : parameter.isBandwidth
          ? "\(sixDigits(figure.value / 1e9)) GB/s" : "\(figure.value)"
      block.append(
        "  \(parameter.rawValue): {value: \(value), fitted_to: \(quoted(figure.fittedTo))}"
      )
    }
    return replacingBlock("runtime", in: text, with: block)
  }

  /// The text with the top-level block `key` replaced by `block`'s lines,
  /// or `block` appended when there is none.
  static func replacingBlock(
    _ key: String, in text: String, with block: [String]
  )
    -> String
  {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    let trailingNewline = lines.last == ""
    if trailingNewline { lines.removeLast() }
    if let start = lines.firstIndex(where: { isKey($0, key) }) {
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

  /// A positive value rounded to six significant digits, so that a value
  /// scaled to another unit prints without binary noise (`54.3554`, not
  /// `54.355399999999996`).
  static func sixDigits(_ value: Double) -> Double {
    guard value > 0, value.isFinite else { return value }
    var scale = 1.0
    while value * scale < 1e5 { scale *= 10 }
    while value * scale >= 1e6 { scale /= 10 }
    return (value * scale).rounded() / scale
  }
}
