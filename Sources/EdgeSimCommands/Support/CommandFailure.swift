import ArgumentParser
import Diagnostics

/// Why a command stops: the diagnostics to print, the texts they point
/// into, and the exit status.
///
/// Support helpers throw this instead of printing, so a command's `run()`
/// prints in one place:
///
/// ```swift
/// do throws(CommandFailure) { … } catch { throw error.print(with: &printer) }
/// ```
struct CommandFailure: Error {
  /// What went wrong, in order.
  var diagnostics: [Diagnostic]
  /// Texts of files the diagnostics point into (for the caret), by name.
  var sources: [String: String] = [:]
  /// The exit status: ``EdgeSimMain/failure`` or ``EdgeSimMain/usage``.
  var status: Int32 = EdgeSimMain.failure

  /// A failure with one diagnostic.
  init(_ diagnostic: Diagnostic, status: Int32 = EdgeSimMain.failure) {
    diagnostics = [diagnostic]
    self.status = status
  }

  /// A failure with several diagnostics.
  init(_ diagnostics: [Diagnostic], sources: [String: String] = [:]) {
    self.diagnostics = diagnostics
    self.sources = sources
  }

  /// Prints the diagnostics and returns the `ExitCode` to throw.
  func print(with printer: inout DiagnosticPrinter) -> ExitCode {
    printer.sources.merge(sources) { _, new in new }
    printer.print(diagnostics)
    return ExitCode(status)
  }
}
