import Diagnostics
import Yams

/// A composed YAML document with its file name and text, collecting
/// diagnostics as it is read.
///
/// Readers built on it (``MappingReader``) report every problem they meet and
/// go on, so one run of `edgesim validate` lists them all.
final class YAMLDocument {
  /// The file name as the user wrote it.
  let fileName: String
  /// The text (for carets in rendered diagnostics).
  let text: String
  /// The root node.
  let root: Node
  /// Problems found so far.
  private(set) var diagnostics: [Diagnostic] = []
  /// Unknown keys reported so far (the first
  /// ``suggestedUnknownKeys`` get a did-you-mean hint).
  var unknownKeys = 0
  /// How many unknown keys get a did-you-mean hint.
  static let suggestedUnknownKeys = 100

  /// No implicit tags: every plain scalar is a string until a reader asks.
  ///
  /// The readers (``MappingReader``) interpret a scalar's text themselves
  /// (whole number, number, boolean, null by its spelling and style) and
  /// never look at its resolved tag. Yams resolves a tag whenever a node is
  /// hashed or compared, which its duplicate-key check does for every key of
  /// every mapping, trying each rule's regular expression in turn: on
  /// NASNet-large's 890-layer list that was a tenth of `simulate`. Without
  /// rules, two keys are duplicates exactly when their texts are equal, which
  /// is how the readers look them up.
  static let resolver = Resolver.basic

  private init(fileName: String, text: String, root: Node) {
    self.fileName = fileName
    self.text = text
    self.root = root
  }

  /// Checks, parses and composes a file's bytes.
  ///
  /// - Parameters:
  ///   - bytes: The file's contents.
  ///   - fileName: The name to report.
  ///   - what: What the file should be ("hardware description"), for messages.
  /// - Returns: The document, or the diagnostics that refuse the file.
  static func compose(
    bytes: [UInt8], fileName: String, what: String
  ) -> Result<YAMLDocument, DiagnosticsError> {
    let text: String
    switch YAMLPreflight.text(from: bytes, fileName: fileName, what: what) {
    case .success(let t): text = t
    case .failure(let error): return .failure(error)
    }
    if let problem = YAMLEventBudget.problem(in: text) {
      return .failure(
        DiagnosticsError([
          .error(
            problem.message,
            at: SourceLocation(
              file: fileName, line: problem.line, column: problem.column),
            hint: problem.hint)
        ]))
    }
    do {
      guard let root = try Yams.compose(yaml: text, Self.resolver) else {
        return .failure(
          DiagnosticsError([
            .error(
              "the file holds no YAML document",
              at: SourceLocation(file: fileName),
              hint: "a \(what) is a YAML mapping")
          ]))
      }
      return .success(YAMLDocument(fileName: fileName, text: text, root: root))
    } catch let error as YamlError {
      return .failure(
        DiagnosticsError([
          diagnostic(for: error, fileName: fileName, text: text)
        ]))
    } catch {
      return .failure(
        DiagnosticsError([
          .error(
            "cannot read YAML: \(error)", at: SourceLocation(file: fileName))
        ]))
    }
  }

  /// Turns a Yams error into a located diagnostic.
  static func diagnostic(for error: YamlError, fileName: String, text: String)
    -> Diagnostic
  {
    func at(_ mark: Mark) -> SourceLocation {
      SourceLocation(
        file: fileName, line: max(1, mark.line), column: max(1, mark.column))
    }
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      var hint = "check the indentation, colons and brackets near this point"
      if let context {
        hint =
          "\(context.text) at line \(context.mark.line), column \(context.mark.column); "
          + hint
      }
      if problem.contains("Maximum nesting level") {
        return .error(
          "nesting is too deep", at: at(mark),
          hint: "EdgeSim files nest a few levels deep")
      }
      return .error("YAML syntax: \(problem)", at: at(mark), hint: hint)
    case .duplicatedKeysInMapping(let duplicates, let context):
      let key = duplicates.first ?? "?"
      let second = secondOccurrence(of: key, after: context.mark, in: text)
      let location =
        second.map {
          SourceLocation(file: fileName, line: $0.line, column: $0.column)
        }
        ?? at(context.mark)
      return .error(
        "duplicate key '\(key)'", at: location,
        hint:
          "'\(key)' is already defined at line \(context.mark.line); each key may appear once in a mapping"
      )
    case .reader(let problem, let offset, _, _):
      return .error(
        "cannot read the file: \(problem)\(offset.map { " at offset \($0)" } ?? "")",
        at: SourceLocation(file: fileName), hint: "save the file as UTF-8 text")
    default:
      return .error(
        "cannot read YAML: \(error)", at: SourceLocation(file: fileName))
    }
  }

  /// The mark of a key written again at the same column after `first`.
  static func secondOccurrence(
    of key: String, after first: Mark, in text: String
  ) -> (line: Int, column: Int)? {
    var lineNumber = 0
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lineNumber += 1
      guard lineNumber > first.line else { continue }
      let scalars = Array(line.unicodeScalars)
      let start = first.column - 1
      guard start >= 0, start < scalars.count else { continue }
      let rest = String(String.UnicodeScalarView(scalars[start...]))
      let prefix = String(String.UnicodeScalarView(scalars[..<start]))
      let blank = prefix.allSatisfy { $0 == " " || $0 == "-" }
      if blank, rest.hasPrefix(key),
        rest.dropFirst(key.count).drop(while: { $0 == " " }).hasPrefix(":")
      {
        return (lineNumber, first.column)
      }
    }
    return nil
  }

  // MARK: Reporting

  /// The location of a node (its first character).
  func location(of node: Node?) -> SourceLocation {
    guard let mark = node?.mark else { return SourceLocation(file: fileName) }
    return SourceLocation(
      file: fileName, line: max(1, mark.line), column: max(1, mark.column))
  }

  /// Records an error at a node.
  func error(_ message: String, at node: Node?, hint: String? = nil) {
    diagnostics.append(.error(message, at: location(of: node), hint: hint))
  }

  /// Records a warning at a node.
  func warning(_ message: String, at node: Node?, hint: String? = nil) {
    diagnostics.append(.warning(message, at: location(of: node), hint: hint))
  }

  /// Records a core validator's finding, placed by its path.
  func record(_ problem: PathDiagnostic) {
    diagnostics.append(problem.located { location(of: node(at: $0)) })
  }

  /// The deepest node that exists along a path (the root for an empty path).
  func node(at path: FieldPath) -> Node {
    var current = root
    for component in path.components {
      switch (component, current) {
      case (.key(let key), .mapping(let mapping)):
        guard let next = mapping.first(where: { $0.key.string == key })?.value
        else {
          return current
        }
        current = next
      case (.index(let index), .sequence(let sequence)):
        guard index >= 0, index < sequence.count else { return current }
        current = sequence[index]
      default:
        return current
      }
    }
    return current
  }
}

extension Node {
  /// "a mapping", "a sequence", "the string 'x'", for type-mismatch messages.
  var kindPhrase: String {
    switch self {
    case .mapping: "a mapping"
    case .sequence: "a sequence"
    case .scalar(let scalar):
      scalar.string.isEmpty ? "an empty value" : "'\(scalar.string.prefix(40))'"
    case .alias: "an alias"
    }
  }
}
