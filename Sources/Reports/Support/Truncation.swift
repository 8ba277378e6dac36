/// Shortens labels that would not fit; the full text stays in the tooltip.
enum Truncation {
  /// `text` if at most `limit` characters, else its start and end around
  /// an ellipsis.
  static func middle(_ text: String, _ limit: Int) -> String {
    guard text.count > limit, limit > 3 else { return text }
    let head = (limit - 1) / 2
    let tail = limit - 1 - head
    return String(text.prefix(head)) + "…" + String(text.suffix(tail))
  }
}
