import ArgumentParser
import Diagnostics

/// Prints diagnostics to standard error, with the source line and a caret.
///
/// Text that came from an input (names, keys, source lines) is printed with
/// its control characters escaped (``Terminal/escaped(_:)``), and at most
/// ``maximumPrinted`` diagnostics are printed per call, followed by a count
/// of the rest, so a file with 40,000 mistakes is reported in linear time
/// and does not flood the terminal.
struct DiagnosticPrinter {
  /// The most diagnostics one call of ``print(_:)`` prints.
  static let maximumPrinted = 50

  /// Texts of the files the diagnostics point into, by file name.
  var sources: [String: String] = [:]
  /// Whether to colour the severity.
  var colour = Terminal.colourStandardError

  /// Renders one diagnostic.
  func render(_ diagnostic: Diagnostic) -> String {
    let file = diagnostic.location?.file
    let lines = file.flatMap { sources[$0] }.map(SourceLines.init)
    return decorate(diagnostic, diagnostic.rendered(lines: lines))
  }

  /// Escapes the rendered text and colours its severity label.
  private func decorate(_ diagnostic: Diagnostic, _ rendered: String) -> String
  {
    var text = Terminal.escaped(rendered)
    if colour {
      let label = "\(diagnostic.severity.rawValue):"
      let code =
        diagnostic.severity == .error
        ? "1;31" : diagnostic.severity == .warning ? "1;33" : "1;36"
      if let range = text.range(of: label) {
        text.replaceSubrange(
          range, with: Terminal.colour(label, code, enabled: true))
      }
    }
    return text
  }

  /// Reads an input file for a command (the one loader the commands share).
  ///
  /// Returns its bytes and keeps its text for the carets of later
  /// diagnostics; when it cannot be read, prints why and throws the
  /// command's failure.
  mutating func read(_ path: String) throws(ExitCode) -> [UInt8] {
    switch FileIO.read(path) {
    case .success(let bytes):
      sources[path] = String(decoding: bytes.prefix(4 << 20), as: UTF8.self)
      return bytes
    case .failure(let diagnostic):
      print([diagnostic])
      throw ExitCode(EdgeSimMain.failure)
    }
  }

  /// Prints the first ``maximumPrinted`` diagnostics to standard error and
  /// a count of the rest.
  func print(_ diagnostics: [Diagnostic]) {
    var indexed: [String: SourceLines] = [:]
    for diagnostic in diagnostics.prefix(Self.maximumPrinted) {
      var lines: SourceLines?
      if let file = diagnostic.location?.file, let text = sources[file] {
        lines = indexed[file] ?? SourceLines(text)
        indexed[file] = lines
      }
      Terminal.standardErrorRaw(
        decorate(diagnostic, diagnostic.rendered(lines: lines)))
    }
    let rest = diagnostics.dropFirst(Self.maximumPrinted)
    if !rest.isEmpty {
      let errors = rest.filter { $0.severity == .error }.count
      Terminal.standardErrorRaw(
        "note: \(rest.count) more diagnostics not shown (\(errors) of them errors); fix these first"
      )
    }
  }
}
