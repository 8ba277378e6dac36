import Diagnostics

/// One field of a CSV file, unquoted, with the place it starts.
public struct CSVField: Hashable, Sendable {
  /// The field's text (quotes removed, `""` read as `"`).
  public var text: String
  /// The 1-based line the field starts on.
  public var line: Int
  /// The 1-based column (in Unicode scalars) the field starts at.
  public var column: Int
}

/// A small RFC 4180 reader: records of comma-separated fields, a field in
/// double quotes may hold commas, line breaks and `""` (one quote).
///
/// Lines end in `\n`, `\r\n` or `\r`; a byte-order mark is skipped; blank
/// lines are skipped. Every field keeps its line and column, so readers
/// built on it place their errors on the cell. SCALE-Sim topology files
/// keep their own, looser splitting (`TopologyParser`): they have no
/// quotes and a trailing comma per line.
enum CSVRecords {
  /// Splits text into records.
  ///
  /// - Parameters:
  ///   - text: The file's text.
  ///   - fileName: The file's name as the user wrote it, for diagnostics.
  /// - Returns: The records (blank lines dropped) and the syntax errors: an
  ///   unterminated quote (at the quote) or text after a closing quote.
  static func parse(_ text: String, fileName: String) -> (
    records: [[CSVField]], diagnostics: [Diagnostic]
  ) {
    var records: [[CSVField]] = []
    var diagnostics: [Diagnostic] = []
    var record: [CSVField] = []
    var field = String.UnicodeScalarView()
    var fieldStart = (line: 1, column: 1)
    var line = 1
    var column = 1
    var inQuotes = false
    var quoteStart = (line: 1, column: 1)
    var afterClosingQuote = false
    var scalars = Array(text.unicodeScalars)
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }

    func endField() {
      record.append(
        CSVField(
          text: String(field), line: fieldStart.line,
          column: fieldStart.column))
      field = String.UnicodeScalarView()
      afterClosingQuote = false
    }
    func endRecord() {
      endField()
      if !(record.count == 1 && record[0].text.isEmpty) {
        records.append(record)
      }
      record = []
    }

    var index = 0
    while index < scalars.count {
      let scalar = scalars[index]
      index += 1
      if inQuotes {
        if scalar == "\"" {
          if index < scalars.count, scalars[index] == "\"" {
            field.append("\"")
            index += 1
            column += 2
            continue
          }
          inQuotes = false
          afterClosingQuote = true
          column += 1
          continue
        }
        field.append(scalar)
        if scalar == "\n" || scalar == "\r" {
          if scalar == "\r", index < scalars.count, scalars[index] == "\n" {
            field.append("\n")
            index += 1
          }
          line += 1
          column = 1
        } else {
          column += 1
        }
        continue
      }
      switch scalar {
      case ",":
        endField()
        column += 1
        fieldStart = (line, column)
      case "\n", "\r":
        if scalar == "\r", index < scalars.count, scalars[index] == "\n" {
          index += 1
        }
        endRecord()
        line += 1
        column = 1
        fieldStart = (line, column)
      case "\"" where field.isEmpty && !afterClosingQuote:
        inQuotes = true
        quoteStart = (line, column)
        column += 1
      default:
        if afterClosingQuote {
          diagnostics.append(
            .error(
              "text after a closing quote",
              at: SourceLocation(file: fileName, line: line, column: column),
              hint:
                "a quoted field ends at its closing quote; write a quote inside it as \"\""
            ))
          afterClosingQuote = false
        }
        field.append(scalar)
        column += 1
      }
    }
    if inQuotes {
      diagnostics.append(
        .error(
          "this quote is never closed",
          at: SourceLocation(
            file: fileName, line: quoteStart.line, column: quoteStart.column),
          hint: "close the quoted field with \""))
    }
    if !field.isEmpty || !record.isEmpty || afterClosingQuote { endRecord() }
    return (records, diagnostics)
  }
}
