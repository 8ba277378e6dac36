/// Edit-distance suggestions for misspelt names ("did you mean 'clock'?").
public enum Suggestions {
  /// The Levenshtein distance between two strings, in Unicode scalars,
  /// case-insensitive.
  ///
  /// - Complexity: O(m·n) time, O(n) space. Inputs longer than 64 scalars are
  ///   not compared (returns `Int.max`), so hostile keys cost nothing.
  public static func distance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased().unicodeScalars)
    let y = Array(b.lowercased().unicodeScalars)
    if x.count > 64 || y.count > 64 { return Int.max }
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      current[0] = i
      for j in 1...y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        current[j] = min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[y.count]
  }

  /// The closest candidate within a distance that grows with the word's length
  /// (1 for short words, up to a third of the length), or `nil`.
  public static func closest(to word: String, among candidates: [String])
    -> String?
  {
    let bound = max(1, word.count / 3)
    var best: (String, Int)?
    for candidate in candidates {
      let d = distance(word, candidate)
      if d <= bound, d < (best?.1 ?? Int.max) { best = (candidate, d) }
    }
    return best?.0
  }

  /// A hint naming the closest candidate if there is one, and the full list.
  ///
  /// - Returns: "did you mean 'clock'? expected one of: name, kind, clock".
  public static func hint(for word: String, among candidates: [String])
    -> String
  {
    let list = candidates.joined(separator: ", ")
    if let best = closest(to: word, among: candidates) {
      return "did you mean '\(best)'? expected one of: \(list)"
    }
    return "expected one of: \(list)"
  }
}
