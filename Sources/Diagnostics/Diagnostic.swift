/// One problem found in an input, with where it is and how to fix it.
///
/// Validators return `[Diagnostic]` and report every problem at once rather than
/// throwing at the first (ZigZag's validator, Timeloop's `EvalStatus`). Rendering
/// to text happens in one place, ``Diagnostic/rendered(source:)``.
public struct Diagnostic: Hashable, Sendable, Error {
  /// How serious a diagnostic is.
  public enum Severity: String, Hashable, Sendable {
    /// The input cannot be used.
    case error
    /// The input can be used, but something is probably not what was meant.
    case warning
    /// Extra information attached to another diagnostic.
    case note
  }

  /// How serious the problem is.
  public var severity: Severity
  /// What is wrong, in one sentence without a trailing period.
  public var message: String
  /// Where it is; `nil` for problems that have no place (an unreadable file).
  public var location: SourceLocation?
  /// How to fix it: the allowed values, the expected unit, a did-you-mean.
  public var hint: String?

  /// Creates a diagnostic.
  public init(
    _ severity: Severity = .error, _ message: String,
    at location: SourceLocation?, hint: String? = nil
  ) {
    self.severity = severity
    self.message = message
    self.location = location
    self.hint = hint
  }

  /// Creates an error diagnostic.
  public static func error(
    _ message: String, at location: SourceLocation?, hint: String? = nil
  ) -> Diagnostic {
    Diagnostic(.error, message, at: location, hint: hint)
  }

  /// Creates a warning diagnostic.
  public static func warning(
    _ message: String, at location: SourceLocation?, hint: String? = nil
  ) -> Diagnostic {
    Diagnostic(.warning, message, at: location, hint: hint)
  }
}

extension Array where Element == Diagnostic {
  /// Whether any element is an error (warnings and notes do not count).
  public var containsErrors: Bool { contains { $0.severity == .error } }

  /// The diagnostics in reading order (file, line, column); diagnostics
  /// without a location come first; ties keep their order.
  public func sortedByLocation() -> [Diagnostic] {
    enumerated().sorted { a, b in
      switch (a.element.location, b.element.location) {
      case (nil, nil): return a.offset < b.offset
      case (nil, _): return true
      case (_, nil): return false
      case (let x?, let y?): return x < y || (!(y < x) && a.offset < b.offset)
      }
    }.map(\.element)
  }
}

/// A failure that carries every diagnostic found, thrown where a caller cannot
/// go on (a loader whose input has errors).
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
  /// The problems, in reading order.
  public var diagnostics: [Diagnostic]

  /// Creates the error from its diagnostics.
  public init(_ diagnostics: [Diagnostic]) {
    self.diagnostics = diagnostics
  }

  /// The diagnostics rendered without source text.
  public var description: String {
    diagnostics.map { $0.rendered(source: nil) }.joined(separator: "\n")
  }
}
