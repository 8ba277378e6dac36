import Foundation

/// Output to the terminal: standard output and error, colour only when the
/// stream is a terminal and `NO_COLOR` is unset.
///
/// Everything printed may hold text from an input (device names, YAML keys,
/// ONNX node and tensor names), so control characters are escaped on the
/// way out (``escaped(_:)``): a hostile file cannot move the cursor, retitle
/// the window or hide text. Only this type's own colour codes reach the
/// terminal raw.
enum Terminal {
  /// Writes a line to standard output, control characters escaped.
  static func standardOutput(_ text: String) {
    write(escaped(text), error: false)
  }

  /// Writes a line to standard error, control characters escaped.
  static func standardError(_ text: String) {
    write(escaped(text), error: true)
  }

  /// Writes a command's results: to standard output, or to standard error
  /// when an output file is standard output (`-`) and holds it already.
  static func results(_ text: String, standardOutputTaken: Bool) {
    if standardOutputTaken {
      standardError(text)
    } else {
      standardOutput(text)
    }
  }

  /// Writes a line to standard error as it is: for text already escaped
  /// and coloured by ``colour(_:_:enabled:)`` (diagnostics).
  static func standardErrorRaw(_ text: String) {
    write(text, error: true)
  }

  /// Writes text to standard error as it is, without ending the line (a
  /// progress bar redrawn with carriage returns).
  static func standardErrorUnterminated(_ text: String) {
    CommandContext.current.write(text, error: true)
  }

  /// Whether standard error is a terminal the running command may draw on.
  static var standardErrorIsTerminal: Bool {
    CommandContext.current.standardErrorIsTerminal
  }

  private static func write(_ text: String, error: Bool) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    CommandContext.current.write(line, error: error)
  }

  /// The text with every control character but line feed and tab written
  /// as a visible escape: `\e` for ESC, `\r`, and `\u{XX}` for the rest
  /// (C0, DEL, C1, and the bidirectional overrides that reorder a line).
  static func escaped(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var result = ""
    result.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
    for scalar in text.unicodeScalars {
      guard needsEscape(scalar) else {
        result.unicodeScalars.append(scalar)
        continue
      }
      switch scalar {
      case "\u{1B}": result += "\\e"
      case "\r": result += "\\r"
      default:
        result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
      }
    }
    return result
  }

  private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x0A, 0x09: false
    case 0x00..<0x20, 0x7F..<0xA0: true
    // Bidirectional embeddings, overrides and isolates.
    case 0x202A...0x202E, 0x2066...0x2069: true
    default: false
    }
  }

  /// Whether standard error should be coloured.
  static var colourStandardError: Bool {
    ProcessInfo.processInfo.environment["NO_COLOR"] == nil
      && standardErrorIsTerminal
  }

  /// Wraps text in an ANSI colour when `enabled`.
  static func colour(_ text: String, _ code: String, enabled: Bool) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
