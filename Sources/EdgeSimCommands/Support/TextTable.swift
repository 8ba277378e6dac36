/// Plain-text tables with aligned columns, for terminal output and goldens.
enum TextTable {
  /// Renders rows (the first is the header) with two spaces between columns
  /// and a rule under the header.
  static func render(_ rows: [[String]]) -> String {
    guard let header = rows.first else { return "" }
    // Each cell's width once: counting characters walks the string.
    let counts = rows.map { $0.map(\.count) }
    var widths = counts[0]
    for row in counts {
      for (i, count) in row.enumerated() where i < widths.count {
        widths[i] = max(widths[i], count)
      }
    }
    var text = ""
    // Padding is a slice of one run of spaces, not a new string per cell.
    let spaces = String(repeating: " ", count: (widths.max() ?? 0) + 2)
    func append(_ row: [String], _ rowCounts: [Int]) {
      for (i, cell) in row.enumerated() {
        text += cell
        let pad = i == row.count - 1 ? 0 : widths[i] - rowCounts[i] + 2
        if pad > 0 { text += spaces.prefix(pad) }
      }
    }
    append(header, counts[0])
    text += "\n"
    text += widths.map { String(repeating: "-", count: $0) }.joined(
      separator: "  ")
    for index in rows.indices.dropFirst() {
      text += "\n"
      append(rows[index], counts[index])
    }
    return text
  }
}
