import Foundation

/// A CSV table (RFC 4180): comma-separated, a field quoted when it holds a
/// comma, a quote, a carriage return or a newline, quotes doubled inside;
/// lines end in `\n`, numbers in one fixed format (`%.9g`).
public struct CSVTable: Hashable, Sendable {
  /// One cell.
  public enum Cell: Hashable, Sendable {
    /// Text, quoted when needed.
    case text(String)
    /// An integer.
    case integer(Int)
    /// A number with nine significant digits; empty when not finite.
    case number(Double)
    /// An empty field (SQL `NULL`).
    case empty
  }

  /// The column names.
  public var header: [String]
  /// The rows, each as long as the header.
  public var rows: [[Cell]]

  /// Creates a table.
  public init(header: [String], rows: [[Cell]] = []) {
    self.header = header
    self.rows = rows
  }

  /// The CSV text, header first, newline-terminated.
  public var rendered: String {
    var out = header.map(Self.field).joined(separator: ",") + "\n"
    for row in rows {
      out += row.map(Self.render).joined(separator: ",") + "\n"
    }
    return out
  }

  static func render(_ cell: Cell) -> String {
    switch cell {
    case .text(let s): field(s)
    case .integer(let i): String(i)
    case .number(let d): NumberFormat.exact(d)
    case .empty: ""
    }
  }

  static func field(_ s: String) -> String {
    guard
      s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
    else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
