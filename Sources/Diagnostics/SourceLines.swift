/// A file's text with the start of every line found once, so rendering many
/// diagnostics into one file costs time linear in their number, not in their
/// number times the file's length.
public struct SourceLines: Sendable {
  /// The text.
  public let text: String
  /// The start of each line, in `text.unicodeScalars`; a line ends at the
  /// next `\n`, `\r` or `\r\n`.
  private let starts: [String.UnicodeScalarView.Index]

  /// Indexes the lines of a text (one pass).
  public init(_ text: String) {
    self.text = text
    let scalars = text.unicodeScalars
    var starts = [scalars.startIndex]
    var index = scalars.startIndex
    while index < scalars.endIndex {
      let scalar = scalars[index]
      var next = scalars.index(after: index)
      if scalar == "\r", next < scalars.endIndex, scalars[next] == "\n" {
        next = scalars.index(after: next)
      }
      if scalar == "\n" || scalar == "\r" { starts.append(next) }
      index = next
    }
    self.starts = starts
  }

  /// The text of a 1-based line, without its terminator, or `nil`.
  public func line(_ number: Int) -> Substring? {
    guard number >= 1, number <= starts.count else { return nil }
    let scalars = text.unicodeScalars
    let start = starts[number - 1]
    var end = start
    while end < scalars.endIndex, scalars[end] != "\n", scalars[end] != "\r" {
      end = scalars.index(after: end)
    }
    return Substring(scalars[start..<end])
  }
}
