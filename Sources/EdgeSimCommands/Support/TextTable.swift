/// Plain-text tables with aligned columns, for terminal output and goldens.
enum TextTable {
  /// Renders rows (the first is the header) with two spaces between columns
  /// and a rule under the header.
  static func render(_ rows: [[String]]) -> String {
    guard let header = rows.first else { return "" }
    var widths = header.map(\.count)
    for row in rows {
      for (i, cell) in row.enumerated() where i < widths.count {
        widths[i] = max(widths[i], cell.count)
      }
    }
    func line(_ row: [String]) -> String {
      var text = ""
      for (i, cell) in row.enumerated() {
        let pad = i == row.count - 1 ? 0 : widths[i] - cell.count + 2
        text += cell + String(repeating: " ", count: max(0, pad))
      }
      return text
    }
    var lines = [line(header)]
    lines.append(
      widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
    lines += rows.dropFirst().map(line)
    return lines.joined(separator: "\n")
  }
}
