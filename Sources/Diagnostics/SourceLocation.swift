/// A position in a named input: a file, a 1-based line and a 1-based column.
///
/// Columns count Unicode scalars, as Yams' `Mark` does, so a caret drawn under
/// the source line lands on the right character for non-ASCII text.
///
/// A location may also name a position that has no line, such as an ONNX node
/// (`file` is the model, `line` and `column` are `nil`, `entity` names the node).
public struct SourceLocation: Hashable, Sendable, Comparable {
  /// The file name as the user wrote it (never rewritten or resolved).
  public var file: String
  /// The 1-based line, or `nil` when the input has no lines (binary formats).
  public var line: Int?
  /// The 1-based column in Unicode scalars, or `nil`.
  public var column: Int?
  /// A named entity inside a binary file, such as `node 'conv1'`.
  public var entity: String?

  /// Creates a location in a text file.
  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
    self.entity = nil
  }

  /// Creates a location that names a whole file, or an entity inside it.
  public init(file: String, entity: String? = nil) {
    self.file = file
    self.line = nil
    self.column = nil
    self.entity = entity
  }

  /// `file:line:column`, `file:line`, `file (entity)` or `file`.
  public var description: String {
    var text = file
    if let line {
      text += ":\(line)"
      if let column { text += ":\(column)" }
    }
    if let entity { text += " (\(entity))" }
    return text
  }

  /// Orders by file, then line, then column, so reports list problems in
  /// reading order.
  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    if lhs.file != rhs.file { return lhs.file < rhs.file }
    let l1 = lhs.line ?? 0
    let l2 = rhs.line ?? 0
    if l1 != l2 { return l1 < l2 }
    return (lhs.column ?? 0) < (rhs.column ?? 0)
  }
}
