import Diagnostics

/// Cheap checks that run before a YAML document is handed to the parser, so
/// hostile input is refused fast and never reaches code that could recurse,
/// allocate or loop without bound.
///
/// Limits (a real description is a few kilobytes, five levels deep):
/// - at most ``maximumBytes`` bytes and lines of at most ``maximumLineLength``
///   scalars;
/// - UTF-8 text without NUL bytes;
/// Nesting, aliases and the document's expanded size are bounded afterwards
/// on libyaml's event stream (``YAMLEventBudget``), before Yams composes it.
enum YAMLPreflight {
  static let maximumBytes = 4 << 20
  static let maximumLineLength = 16_384

  /// Decodes and checks the bytes of a file.
  ///
  /// - Returns: The text, or the diagnostics that refuse it.
  static func text(
    from bytes: [UInt8], fileName: String, what: String
  ) -> Result<String, DiagnosticsError> {
    func refuse(
      _ message: String, line: Int? = nil, column: Int? = nil, hint: String
    )
      -> Result<String, DiagnosticsError>
    {
      let location =
        line.map {
          SourceLocation(file: fileName, line: $0, column: column ?? 1)
        }
        ?? SourceLocation(file: fileName)
      return .failure(
        DiagnosticsError([.error(message, at: location, hint: hint)]))
    }
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    ) {
      return refuse(
        "the file is empty",
        hint: "a \(what) is a YAML mapping; see Documentation/")
    }
    if bytes.count > maximumBytes {
      return refuse(
        "the file is \(bytes.count) bytes; a \(what) may be at most \(maximumBytes) bytes",
        hint: "is this the right file?")
    }
    if let offset = bytes.firstIndex(of: 0) {
      let (line, column) = position(of: offset, in: bytes)
      return refuse(
        "the file holds binary data (a NUL byte at offset \(offset)), not YAML text",
        line: line, column: column, hint: "is this the right file?")
    }
    guard var text = String(validating: bytes, as: UTF8.self) else {
      let offset = firstInvalidUTF8(in: bytes) ?? 0
      let (line, column) = position(of: offset, in: bytes)
      return refuse(
        "the file is not UTF-8 text (invalid byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) at offset \(offset))",
        line: line, column: column, hint: "save the file as UTF-8")
    }
    if text.unicodeScalars.first == "\u{FEFF}" {
      text.unicodeScalars.removeFirst()
    }
    if let problem = structuralProblem(in: text) {
      return refuse(
        problem.message, line: problem.line, column: problem.column,
        hint: problem.hint)
    }
    return .success(text)
  }

  struct Problem {
    var message: String
    var line: Int
    var column: Int
    var hint: String
  }

  /// Finds the first line longer than ``maximumLineLength`` scalars.
  ///
  /// Everything structural (nesting, aliases, expanded size) is measured on
  /// the parser's own events by ``YAMLEventBudget``, never by re-lexing YAML
  /// here.
  static func structuralProblem(in text: String) -> Problem? {
    var lineNumber = 1
    var length = 0
    for scalar in text.unicodeScalars {
      if scalar == "\n" {
        lineNumber += 1
        length = 0
        continue
      }
      length += 1
      if length > maximumLineLength {
        return Problem(
          message:
            "line \(lineNumber) is longer than \(maximumLineLength) characters",
          line: lineNumber, column: maximumLineLength + 1,
          hint: "is this the right file?")
      }
    }
    return nil
  }

  /// 1-based line and column (in bytes, good enough for binary data) of an offset.
  static func position(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
    var line = 1
    var lineStart = 0
    for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
      line += 1
      lineStart = i + 1
    }
    return (line, offset - lineStart + 1)
  }

  static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
    var decoder = UTF8()
    var iterator = bytes.makeIterator()
    var offset = 0
    var consumed = 0
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        consumed += UTF8.width(scalar)
        offset = consumed
      case .emptyInput:
        return nil
      case .error:
        return offset
      }
    }
  }
}
