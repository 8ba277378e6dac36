import Diagnostics
import HardwareModel
import Yams

/// Reads one YAML mapping strictly: typed getters that record a located
/// diagnostic and return `nil` on a problem, and ``finish()`` that reports
/// every key nobody asked for, with a did-you-mean hint.
///
/// ```swift
/// guard let top = MappingReader(document.root, in: document, what: "the top level") else { … }
/// let clock = top.quantity("clock", as: [.frequency])
/// top.finish()
/// ```
final class MappingReader {
  let document: YAMLDocument
  let node: Node
  let mapping: Node.Mapping
  let path: FieldPath
  /// Keys declared allowed, in the order declared (a key may repeat).
  ///
  /// A list, not a set: a layer of a long layer list declares some thirty
  /// keys and holds a handful, so comparing the held keys with the list
  /// costs less than hashing every declared key.
  private var declared: [String] = []
  /// Keys that may appear, each once, in the order shown in hints.
  private var allowed: [String] {
    var seen: Set<String> = []
    return declared.filter { seen.insert($0).inserted }
  }
  /// Each key's text (`nil` for a key that is not a scalar), in file order.
  ///
  /// Built on first use: a layer list asks each of hundreds of small
  /// mappings for every key it knows, and a handful of keys is searched
  /// faster in a list than hashed. Read by index: `Node.Mapping`'s iterator
  /// copies its pairs into a new array each time.
  private lazy var keyTexts: [String?] = mapping.indices.map {
    mapping[$0].key.string
  }
  /// Required keys found missing, reported by ``finish()`` unless a misspelt
  /// key explains them.
  private var missing: [(key: String, hint: String?)] = []

  /// Wraps a node that must be a mapping; reports and returns `nil` if not.
  init?(
    _ node: Node, in document: YAMLDocument, path: FieldPath = [],
    what: @autoclosure () -> String
  ) {
    guard case .mapping(let mapping) = node else {
      document.error(
        "\(what()) must be a mapping of keys to values, but is \(node.kindPhrase)",
        at: node,
        hint: "write 'key: value' lines")
      return nil
    }
    self.document = document
    self.node = node
    self.mapping = mapping
    self.path = path
  }

  /// Declares keys that are allowed without being read here (read elsewhere).
  func allow(_ keys: [String]) {
    declared.append(contentsOf: keys)
  }

  /// Declares one key allowed.
  private func allow(_ key: String) {
    declared.append(key)
  }

  /// The value node of a key (the first, should one repeat), marking the
  /// key as known; `nil` when absent.
  func value(_ key: String) -> Node? {
    allow(key)
    guard let index = keyTexts.firstIndex(where: { $0 == key }) else {
      return nil
    }
    return mapping[mapping.startIndex + index].value
  }

  /// Whether the key is present (marks it known).
  func has(_ key: String) -> Bool { value(key) != nil }

  /// The value of a required key, or an error at the mapping.
  func required(_ key: String, hint: @autoclosure () -> String? = nil)
    -> Node?
  {
    guard let node = value(key) else {
      missing.append((key, hint()))
      return nil
    }
    return node
  }

  // MARK: Scalars

  /// A scalar's text, or an error when the node is a mapping or sequence.
  func scalarText(
    _ node: Node, key: String, expected: @autoclosure () -> String
  ) -> String? {
    guard case .scalar(let scalar) = node else {
      document.error(
        "'\(key)' must be \(expected()), but is \(node.kindPhrase)", at: node,
        hint: "write a single value after '\(key):'")
      return nil
    }
    // A plain `~` or `null` is YAML's null, not a name: refused here so that
    // `models: ~` is not read as a model called "~".
    if scalar.style == .plain,
      ["~", "null", "Null", "NULL"].contains(scalar.string)
    {
      document.error(
        "'\(key)' must be \(expected()), but is null", at: node,
        hint: "write a value after '\(key):', or remove the key")
      return nil
    }
    return scalar.string
  }

  /// A non-empty string.
  func string(
    _ key: String, required isRequired: Bool = false, hint: String? = nil
  ) -> String? {
    guard let node = isRequired ? required(key, hint: hint) : value(key) else {
      return nil
    }
    guard let text = scalarText(node, key: key, expected: "a string") else {
      return nil
    }
    if text.isEmpty {
      document.error("'\(key)' is empty", at: node, hint: hint)
      return nil
    }
    return text
  }

  /// A whole number in a range.
  func integer(
    _ key: String, required isRequired: Bool = false,
    in range: ClosedRange<Int> = 1...Int.max,
    hint: String? = nil
  ) -> Int? {
    guard let node = isRequired ? required(key, hint: hint) : value(key) else {
      return nil
    }
    return integer(node, key: key, in: range)
  }

  /// A whole number in a range, from a node.
  func integer(_ node: Node, key: String, in range: ClosedRange<Int>) -> Int? {
    guard let text = scalarText(node, key: key, expected: "a whole number")
    else { return nil }
    guard let value = Int(text.filter { $0 != "_" }) else {
      document.error(
        "'\(key)' must be a whole number, but is '\(text.prefix(40))'",
        at: node,
        hint:
          "write digits only, e.g. \(range.lowerBound == 0 ? 0 : range.lowerBound)"
      )
      return nil
    }
    guard range.contains(value) else {
      document.error(
        "'\(key)' is \(value); it must be \(describe(range))", at: node,
        hint: "write a value \(describe(range))")
      return nil
    }
    return value
  }

  /// A plain number (no unit) in a range.
  func number(
    _ key: String, required isRequired: Bool = false,
    in range: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude,
    excludingLower: Bool = false, hint: String? = nil
  ) -> Double? {
    guard let node = isRequired ? required(key, hint: hint) : value(key) else {
      return nil
    }
    return number(
      node, key: key, in: range, excludingLower: excludingLower, hint: hint)
  }

  /// A plain number from a node.
  func number(
    _ node: Node, key: String, in range: ClosedRange<Double>,
    excludingLower: Bool,
    hint: String? = nil
  ) -> Double? {
    guard let text = scalarText(node, key: key, expected: "a number") else {
      return nil
    }
    let lowered = text.lowercased()
    if [".nan", "nan", ".inf", "+.inf", "-.inf", "inf", "-inf", "infinity"]
      .contains(lowered)
    {
      document.error(
        "'\(key)' must be a finite number, but is \(text)", at: node,
        hint: hint ?? "write a finite number such as 0.75")
      return nil
    }
    guard let value = Double(text.filter { $0 != "_" }), value.isFinite else {
      document.error(
        "'\(key)' must be a number, but is '\(text.prefix(40))'", at: node,
        hint: hint ?? "write a number such as 0.75")
      return nil
    }
    if value < range.lowerBound || value > range.upperBound
      || (excludingLower && value == range.lowerBound)
    {
      let bounds =
        excludingLower
        ? "in (\(UnitFormatter.trim(range.lowerBound)), \(UnitFormatter.trim(range.upperBound))]"
        : "in [\(UnitFormatter.trim(range.lowerBound)), \(UnitFormatter.trim(range.upperBound))]"
      document.error(
        "'\(key)' is \(text), outside the allowed range", at: node,
        hint: "write a value \(bounds)")
      return nil
    }
    return value
  }

  /// `true` or `false`.
  func boolean(_ key: String) -> Bool? {
    guard let node = value(key) else { return nil }
    guard let text = scalarText(node, key: key, expected: "true or false")
    else { return nil }
    switch text {
    case "true", "True", "TRUE": return true
    case "false", "False", "FALSE": return false
    default:
      document.error(
        "'\(key)' must be true or false, but is '\(text.prefix(40))'", at: node,
        hint: "write true or false")
      return nil
    }
  }

  /// One of an enumeration's raw values.
  func choice<E: RawRepresentable & CaseIterable>(
    _ key: String, as type: E.Type, required isRequired: Bool = false
  ) -> E? where E.RawValue == String {
    guard
      let node = isRequired
        ? required(key, hint: Self.choices(E.self)) : value(key)
    else {
      return nil
    }
    return choice(node, key: key, as: type)
  }

  /// One of an enumeration's raw values, from a node.
  func choice<E: RawRepresentable & CaseIterable>(
    _ node: Node, key: String, as type: E.Type
  ) -> E? where E.RawValue == String {
    guard
      let text = scalarText(
        node, key: key, expected: "one of \(Self.choices(E.self))")
    else {
      return nil
    }
    if let value = E(rawValue: text) { return value }
    let names = E.allCases.map(\.rawValue)
    document.error(
      "'\(text.prefix(40))' is not a valid \(key)", at: node,
      hint: Suggestions.hint(for: text, among: names))
    return nil
  }

  static func choices<E: RawRepresentable & CaseIterable>(_ type: E.Type)
    -> String
  where E.RawValue == String {
    "expected one of: " + E.allCases.map(\.rawValue).joined(separator: ", ")
  }

  // MARK: Quantities

  /// A quantity with a unit of one of the expected dimensions.
  ///
  /// With `allowZero`, 0 is accepted (latency, static power); negative
  /// values are always refused. Returns `nil`, with a diagnostic recorded,
  /// when the key is missing but required or its value is not valid.
  func quantity(
    _ key: String, as dimensions: [Dimension],
    required isRequired: Bool = false,
    allowZero: Bool = false
  ) -> Quantity? {
    let hint =
      "write e.g. " + dimensions.map(\.examples).joined(separator: "; or ")
    guard let node = isRequired ? required(key, hint: hint) : value(key) else {
      return nil
    }
    return quantity(node, key: key, as: dimensions, allowZero: allowZero)
  }

  /// A quantity from a node.
  func quantity(
    _ node: Node, key: String, as dimensions: [Dimension],
    allowZero: Bool = false
  ) -> Quantity? {
    let expected = dimensions.map(\.phrase).joined(separator: " or ")
    guard
      let text = scalarText(node, key: key, expected: "\(expected) with a unit")
    else {
      return nil
    }
    let lowered = text.lowercased()
    if lowered.contains("nan") || lowered.contains("inf") {
      document.error(
        "'\(key)' must be a finite quantity, but is '\(text.prefix(40))'",
        at: node,
        hint: "write e.g. "
          + dimensions.map(\.examples).joined(separator: "; or "))
      return nil
    }
    let quantity: Quantity
    do {
      quantity = try Quantity.parse(text, as: dimensions)
    } catch {
      document.error("'\(key)': \(error.message)", at: node, hint: error.hint)
      return nil
    }
    if quantity.value < 0 || (!allowZero && quantity.value == 0) {
      document.error(
        "'\(key)' is \(text), but must be \(allowZero ? "zero or more" : "more than zero")",
        at: node, hint: "write a positive value")
      return nil
    }
    return quantity
  }

  // MARK: Collections

  /// A sequence's elements, or an error if the node is not a sequence.
  func sequence(_ node: Node, key: String) -> [Node]? {
    guard case .sequence(let sequence) = node else {
      document.error(
        "'\(key)' must be a list, but is \(node.kindPhrase)", at: node,
        hint: "write one '- item' per line, or [a, b]")
      return nil
    }
    return Array(sequence)
  }

  /// A nested mapping's reader.
  func mapping(
    _ key: String, required isRequired: Bool = false, hint: String? = nil
  ) -> MappingReader? {
    guard let node = isRequired ? required(key, hint: hint) : value(key) else {
      return nil
    }
    return MappingReader(
      node, in: document, path: path.appending(key), what: "'\(key)'")
  }

  // MARK: Strict keys

  /// Reports every key that is neither read by a getter nor declared with
  /// ``allow(_:)``, with a did-you-mean hint, and every key that is not a
  /// plain string.
  func finish() {
    var explained: Set<String> = []
    for index in mapping.indices {
      let key = mapping[index].key
      guard case .scalar(let scalar) = key else {
        document.error(
          "keys must be plain names, but this key is \(key.kindPhrase)",
          at: key,
          hint: "expected one of: \(allowed.joined(separator: ", "))")
        continue
      }
      if !declared.contains(scalar.string) {
        let place = path.components.isEmpty ? "" : " in \(path)"
        // Did-you-mean hints for the first few only: past them the file is
        // not a slip of the keyboard, and edit distances would dominate.
        document.unknownKeys += 1
        guard document.unknownKeys <= YAMLDocument.suggestedUnknownKeys else {
          document.error(
            "unknown key '\(scalar.string.prefix(60))'\(place)", at: key,
            hint: "expected one of: \(allowed.joined(separator: ", "))")
          continue
        }
        var hint = Suggestions.hint(for: scalar.string, among: allowed)
        let missingKeys = missing.map(\.key)
        if let meant = Suggestions.closest(
          to: scalar.string, among: missingKeys)
        {
          explained.insert(meant)
          hint = "did you mean '\(meant)'? it is required here"
        }
        document.error(
          "unknown key '\(scalar.string.prefix(60))'\(place)", at: key,
          hint: hint)
      }
    }
    for (key, hint) in missing where !explained.contains(key) {
      document.error(
        "missing key '\(key)'\(path.components.isEmpty ? "" : " in \(path)")",
        at: node, hint: hint)
    }
    missing.removeAll()
  }

  private func describe(_ range: ClosedRange<Int>) -> String {
    if range.upperBound == Int.max { return "of at least \(range.lowerBound)" }
    return "from \(range.lowerBound) to \(range.upperBound)"
  }
}
