import Yams

extension MappingReader {
  /// A whole number, or a list of `count` whole numbers (`kernel: 3` or
  /// `kernel: [3, 5]`); a single number is repeated `count` times.
  ///
  /// - Returns: `count` values in `range`, or `nil` (after reporting) when
  ///   the key is absent or wrong.
  func integerOrList(
    _ key: String, count: Int, in range: ClosedRange<Int>,
    required isRequired: Bool = false,
    hint: String? = nil
  ) -> [Int]? {
    guard let node = isRequired ? required(key, hint: hint) : value(key) else {
      return nil
    }
    if case .scalar = node {
      return integer(node, key: key, in: range).map {
        Array(repeating: $0, count: count)
      }
    }
    guard let values = integerList(node, key: key, in: range) else {
      return nil
    }
    guard values.count == count else {
      document.error(
        "'\(key)' has \(values.count) values, but this layer has \(count) spatial axes",
        at: node,
        hint: "write one number for all axes, or a list of \(count)")
      return nil
    }
    return values
  }

  /// A list of whole numbers in `range`, each checked at its own node.
  func integerList(_ node: YAMLNode, key: String, in range: ClosedRange<Int>)
    -> [Int]?
  {
    guard let items = sequence(node, key: key) else { return nil }
    var values: [Int] = []
    var failed = false
    for item in items {
      if let value = integer(item, key: key, in: range) {
        values.append(value)
      } else {
        failed = true
      }
    }
    return failed ? nil : values
  }

  /// A list of names: one string, or a list of strings, with the node each
  /// came from.
  func nameList(_ node: YAMLNode, key: String) -> [(
    name: String, node: YAMLNode
  )]? {
    if case .scalar = node {
      guard
        let text = scalarText(
          node, key: key, expected: "a name or a list of names")
      else {
        return nil
      }
      return [(text, node)]
    }
    guard let items = sequence(node, key: key) else { return nil }
    var result: [(name: String, node: YAMLNode)] = []
    var failed = false
    for item in items {
      if let text = scalarText(item, key: key, expected: "a layer name") {
        result.append((text, item))
      } else {
        failed = true
      }
    }
    return failed ? nil : result
  }
}
