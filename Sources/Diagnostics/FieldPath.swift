/// A path to a value inside a structured document: `memory[2].read_energy`.
///
/// Core validators know paths, not files; the adapter that read the document
/// turns a path into a ``SourceLocation`` (the deepest node that exists).
public struct FieldPath: Hashable, Sendable, CustomStringConvertible,
  ExpressibleByArrayLiteral
{
  /// One step: a mapping key or a sequence index.
  public enum Component: Hashable, Sendable {
    /// A key in a mapping.
    case key(String)
    /// A 0-based index in a sequence.
    case index(Int)
  }

  /// The steps from the document root.
  public var components: [Component]

  /// Creates a path from its steps.
  public init(_ components: [Component]) { self.components = components }

  /// Creates a path from keys and indices written as a literal:
  /// `["memory", 2, "size"]`.
  public init(arrayLiteral elements: PathElement...) {
    components = elements.map(\.component)
  }

  /// A path one step deeper.
  public func appending(_ key: String) -> FieldPath {
    FieldPath(components + [.key(key)])
  }

  /// A path one index deeper.
  public func appending(_ index: Int) -> FieldPath {
    FieldPath(components + [.index(index)])
  }

  /// `memory[2].size`, or `(top level)` for the root.
  public var description: String {
    var text = ""
    for component in components {
      switch component {
      case .key(let key): text += text.isEmpty ? key : ".\(key)"
      case .index(let index): text += "[\(index)]"
      }
    }
    return text.isEmpty ? "(top level)" : text
  }
}

/// A literal step of a ``FieldPath``: a string key or an integer index.
public protocol PathElement {
  /// The step this literal stands for.
  var component: FieldPath.Component { get }
}

extension String: PathElement {
  /// A mapping key.
  public var component: FieldPath.Component { .key(self) }
}

extension Int: PathElement {
  /// A sequence index.
  public var component: FieldPath.Component { .index(self) }
}

/// A problem found by a core validator, placed by a ``FieldPath`` rather than
/// by a file position.
public struct PathDiagnostic: Hashable, Sendable {
  /// How serious the problem is.
  public var severity: Diagnostic.Severity
  /// What is wrong.
  public var message: String
  /// Where, in the document's structure.
  public var path: FieldPath
  /// How to fix it.
  public var hint: String?

  /// Creates an error at a path.
  public static func error(
    _ message: String, at path: FieldPath, hint: String? = nil
  ) -> PathDiagnostic {
    PathDiagnostic(severity: .error, message: message, path: path, hint: hint)
  }

  /// Creates a warning at a path.
  public static func warning(
    _ message: String, at path: FieldPath, hint: String? = nil
  ) -> PathDiagnostic {
    PathDiagnostic(severity: .warning, message: message, path: path, hint: hint)
  }

  /// Places the problem with a locator (path → location).
  public func located(by locate: (FieldPath) -> SourceLocation?) -> Diagnostic {
    Diagnostic(severity, message, at: locate(path), hint: hint)
  }
}
