import Foundation

/// Output to the terminal: standard output and error, colour only when the
/// stream is a terminal and `NO_COLOR` is unset.
enum Terminal {
  /// Writes a line to standard output.
  static func standardOutput(_ text: String) {
    write(text, to: FileHandle.standardOutput)
  }

  /// Writes a line to standard error.
  static func standardError(_ text: String) {
    write(text, to: FileHandle.standardError)
  }

  private static func write(_ text: String, to handle: FileHandle) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    handle.write(Data(line.utf8))
  }

  /// Whether standard error should be coloured.
  static var colourStandardError: Bool {
    ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(2) == 1
  }

  /// Wraps text in an ANSI colour when `enabled`.
  static func colour(_ text: String, _ code: String, enabled: Bool) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
