import Diagnostics
import Yams

/// Integer axis values as a sweep file writes them: `5`, `[4, 6, 8]`,
/// `2..7` (both ends included) or `8..64 by 8`.
enum IntegerValues {
  /// The most values one axis may have.
  static let maximumCount = 100_000

  /// Reads the values at a node, each in `range`, reporting problems at
  /// their nodes; `nil` after a problem.
  static func read(
    _ node: Node, key: String, in range: ClosedRange<Int>,
    document: YAMLDocument
  ) -> [Int]? {
    let hint =
      "write a number, a list [4, 6, 8], a range 2..7, or a range with a step 8..64 by 8"
    switch node {
    case .scalar(let scalar):
      let text = trimmed(scalar.string)
      if let value = Int(text) {
        return check(
          [value], node: node, key: key, in: range, document: document)
      }
      guard let values = parseRange(text) else {
        document.error(
          "'\(key)' must be whole numbers, but is '\(text.prefix(40))'",
          at: node, hint: hint)
        return nil
      }
      switch values {
      case .success(let list):
        return check(list, node: node, key: key, in: range, document: document)
      case .failure(let message):
        document.error("'\(key)': \(message)", at: node, hint: hint)
        return nil
      }
    case .sequence(let sequence):
      var values: [Int] = []
      for item in sequence {
        guard case .scalar(let scalar) = item,
          let value = Int(trimmed(scalar.string))
        else {
          document.error(
            "each value of '\(key)' must be a whole number", at: item,
            hint: hint)
          return nil
        }
        guard
          check([value], node: item, key: key, in: range, document: document)
            != nil
        else { return nil }
        if values.contains(value) {
          document.error(
            "\(value) is listed twice in '\(key)'", at: item,
            hint: "list each value once")
          return nil
        }
        values.append(value)
      }
      if values.isEmpty {
        document.error("'\(key)' is empty", at: node, hint: hint)
        return nil
      }
      return values
    default:
      document.error(
        "'\(key)' must be whole numbers, but is \(node.kindPhrase)", at: node,
        hint: hint)
      return nil
    }
  }

  /// `a..b` or `a..b by s`: the values, an error message, or `nil` when
  /// the text is not a range at all.
  static func parseRange(_ text: String) -> Result<[Int], RangeProblem>? {
    let words = text.split(separator: " ", omittingEmptySubsequences: true)
    guard let first = words.first else { return nil }
    let ends = first.components(separatedBy: "..")
    guard ends.count == 2, let low = Int(ends[0]), let high = Int(ends[1])
    else { return nil }
    var step = 1
    if words.count == 3, words[1] == "by", let s = Int(words[2]) {
      step = s
    } else if words.count != 1 {
      return nil
    }
    guard step >= 1 else {
      return .failure(RangeProblem("the step must be at least 1"))
    }
    guard low <= high else {
      return .failure(
        RangeProblem(
          "the range \(low)..\(high) is empty; write the smaller end first"))
    }
    let (span, overflow) = high.subtractingReportingOverflow(low)
    guard !overflow, span / step < maximumCount else {
      return .failure(
        RangeProblem("the range has more than \(maximumCount) values"))
    }
    return .success(Array(stride(from: low, through: high, by: step)))
  }

  static func check(
    _ values: [Int], node: Node, key: String, in range: ClosedRange<Int>,
    document: YAMLDocument
  ) -> [Int]? {
    if let bad = values.first(where: { !range.contains($0) }) {
      document.error(
        "'\(key)' has \(bad); values must be from \(range.lowerBound) to \(range.upperBound)",
        at: node,
        hint: "write values from \(range.lowerBound) to \(range.upperBound)")
      return nil
    }
    return values
  }

  /// A range that cannot be expanded.
  struct RangeProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
  }
}

extension IntegerValues.RangeProblem: CustomStringConvertible {
  var description: String { message }
}

/// The text without leading and trailing spaces.
private func trimmed(_ text: String) -> String {
  String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
}
