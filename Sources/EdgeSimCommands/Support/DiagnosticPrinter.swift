import Diagnostics

/// Prints diagnostics to standard error, with the source line and a caret.
struct DiagnosticPrinter {
  /// Texts of the files the diagnostics point into, by file name.
  var sources: [String: String] = [:]
  /// Whether to colour the severity.
  var colour = Terminal.colourStandardError

  /// Renders one diagnostic.
  func render(_ diagnostic: Diagnostic) -> String {
    let file = diagnostic.location?.file
    var text = diagnostic.rendered(source: file.flatMap { sources[$0] })
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

  /// Prints every diagnostic to standard error.
  func print(_ diagnostics: [Diagnostic]) {
    for diagnostic in diagnostics { Terminal.standardError(render(diagnostic)) }
  }
}
