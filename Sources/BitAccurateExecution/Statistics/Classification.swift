/// Top-k classification helpers for `[N, C]` scores (§9 network level).
public enum Classification {
  /// The indices of the k largest scores of one row, largest first; ties
  /// go to the smaller index.
  public static func topK(_ row: ArraySlice<Float>, k: Int) -> [Int] {
    let base = row.startIndex
    return row.indices.sorted { a, b in
      row[a] != row[b] ? row[a] > row[b] : a < b
    }.prefix(k).map { $0 - base }
  }

  /// The top-k classes of every row of a `[N, C…]` tensor.
  public static func topK(_ scores: FloatTensor, k: Int) -> [[Int]] {
    guard let rows = scores.shape.first, rows > 0 else { return [] }
    let width = scores.values.count / rows
    return (0..<rows).map {
      topK(scores.values[($0 * width)..<(($0 + 1) * width)], k: k)
    }
  }

  /// The fraction of rows whose label is among their top-k classes.
  public static func accuracy(_ scores: FloatTensor, labels: [Int], k: Int)
    -> Double
  {
    let top = topK(scores, k: k)
    guard !top.isEmpty else { return 0 }
    let hits = zip(top, labels).filter { $0.contains($1) }.count
    return Double(hits) / Double(top.count)
  }
}
