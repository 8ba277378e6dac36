import Diagnostics

/// Cheap checks that run before a YAML document is handed to the parser, so
/// hostile input is refused fast and never reaches code that could recurse,
/// allocate or loop without bound.
///
/// Limits (a real description is a few kilobytes, five levels deep):
/// - at most ``maximumBytes`` bytes and lines of at most ``maximumLineLength``
///   scalars;
/// - UTF-8 text without NUL bytes;
/// - nesting at most ``maximumFlowDepth`` brackets deep and indentation at
///   most ``maximumIndentation`` columns (libyaml's own limit of 1000 levels
///   stays as the backstop);
/// - no alias used as a mapping key (hashing an expanded alias bomb there
///   would take exponential time), and at most ``maximumAliases`` aliases.
enum YAMLPreflight {
  static let maximumBytes = 4 << 20
  static let maximumLineLength = 16_384
  static let maximumFlowDepth = 64
  static let maximumIndentation = 256
  static let maximumDashes = 32
  static let maximumAliases = 1_000

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

  /// Scans line by line for over-long lines, deep nesting and alias abuse.
  static func structuralProblem(in text: String) -> Problem? {
    var lineNumber = 1
    var flowDepth = 0
    var aliases = 0
    var quote: Unicode.Scalar?
    let scalars = Array(text.unicodeScalars)
    var lineStart = 0
    var index = 0
    while index <= scalars.count {
      let atEnd = index == scalars.count
      if atEnd || scalars[index] == "\n" {
        let line = scalars[lineStart..<index]
        // Indentation and a run of "- " sequence indicators.
        var column = 0
        var dashes = 0
        var i = line.startIndex
        while i < line.endIndex {
          if line[i] == " " {
            column += 1
            i += 1
          } else if line[i] == "-", i + 1 < line.endIndex, line[i + 1] == " " {
            dashes += 1
            column += 2
            i += 2
          } else {
            break
          }
        }
        if column > maximumIndentation || dashes > maximumDashes {
          return Problem(
            message:
              "nesting is too deep (indentation of \(column) columns on line \(lineNumber))",
            line: lineNumber, column: min(column, maximumIndentation) + 1,
            hint:
              "EdgeSim files nest a few levels deep; at most \(maximumIndentation) columns of indentation are accepted"
          )
        }
        // Flow brackets, quotes, comments and aliases.
        var j = line.startIndex
        var previous: Unicode.Scalar = " "
        while j < line.endIndex {
          let c = line[j]
          if let q = quote {
            if c == q { quote = nil }
          } else if c == "#", previous == " " || previous == "\t" {
            break
          } else if c == "\"" || c == "'",
            [" ", "\t", "[", "{", ",", ":", "-"].contains(previous)
              || j == line.startIndex
          {
            quote = c
          } else if c == "[" || c == "{" {
            flowDepth += 1
            if flowDepth > maximumFlowDepth {
              return Problem(
                message:
                  "nesting is too deep (more than \(maximumFlowDepth) brackets)",
                line: lineNumber, column: j - line.startIndex + 1,
                hint: "EdgeSim files nest a few levels deep")
            }
          } else if c == "]" || c == "}" {
            flowDepth = max(0, flowDepth - 1)
          } else if c == "*",
            [" ", "\t", "[", "{", ",", ":", "-", "?"].contains(previous)
          {
            aliases += 1
            if aliases > maximumAliases {
              return Problem(
                message: "more than \(maximumAliases) aliases",
                line: lineNumber, column: j - line.startIndex + 1,
                hint: "write the values out instead of aliasing them")
            }
            // An alias followed by ':' (or preceded by '?') is a mapping key.
            var k = j + 1
            while k < line.endIndex,
              !" \t,[]{}".unicodeScalars.contains(line[k])
            { k += 1 }
            var m = k
            while m < line.endIndex, line[m] == " " { m += 1 }
            let isKey =
              (m < line.endIndex && line[m] == ":" && k > j + 1)
              || previous == "?"
              || (j >= line.startIndex + 2 && line[j - 2] == "?")
            if isKey {
              return Problem(
                message: "an alias is used as a mapping key",
                line: lineNumber, column: j - line.startIndex + 1,
                hint:
                  "EdgeSim keys are plain names; aliases may only stand for values"
              )
            }
          }
          previous = c
          j += 1
        }
        // Checked after the nesting scan so a deeply nested line says so.
        if line.count > maximumLineLength {
          return Problem(
            message:
              "line \(lineNumber) is \(line.count) characters long; lines may be at most \(maximumLineLength)",
            line: lineNumber, column: maximumLineLength + 1,
            hint: "is this the right file?")
        }
        lineNumber += 1
        lineStart = index + 1
      }
      index += 1
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
