/// The types of the SCALE-Sim 3.0.0 keys EdgeSim accepts but does not use,
/// so that a value SCALE-Sim itself would reject (`SparsitySupport =
/// banana`) is refused here too instead of passing silently.
enum ScaleSimIgnoredKeys {
  enum Kind {
    /// `True`/`False` (configparser's booleans: also yes/no, on/off, 1/0).
    case boolean
    /// A whole number of at least the bound.
    case integer(atLeast: Int)
    /// A positive number, or a comma-separated list of them.
    case numbers
    /// One of a few names.
    case choice([String])
  }

  /// The type of each ignored key (lowercased), by section.
  static let kinds: [String: [String: Kind]] = [
    "architecture_presets": [
      "ifmapoffset": .integer(atLeast: 0), "filteroffset": .integer(atLeast: 0),
      "ofmapoffset": .integer(atLeast: 0),
      "readrequestbuffer": .integer(atLeast: 1),
      "writerequestbuffer": .integer(atLeast: 1), "bandwidth": .numbers,
    ],
    "layout": [
      "ifmapcustomlayout": .boolean, "filtercustomlayout": .boolean,
      "ifmapsrambankbandwidth": .numbers, "filtersrambankbandwidth": .numbers,
      "ifmapsrambanknum": .integer(atLeast: 1),
      "filtersrambanknum": .integer(atLeast: 1),
      "ifmapsrambankport": .integer(atLeast: 1),
      "filtersrambankport": .integer(atLeast: 1),
    ],
    "sparsity": [
      "sparsitysupport": .boolean, "optimizedmapping": .boolean,
      "sparserep": .choice(["ellpack_block", "csr", "csc"]),
      "blocksize": .integer(atLeast: 1),
      "randomnumbergeneratorseed": .integer(atLeast: 0),
    ],
    "run_presets": ["useramulatortrace": .boolean],
  ]

  /// What is wrong with a value, or `nil` when it has its key's type.
  static func problem(section: String, key: String, value: String)
    -> (message: String, hint: String)?
  {
    guard let kind = kinds[section]?[key.lowercased()] else { return nil }
    let shown = "'\(value.prefix(40))'"
    switch kind {
    case .boolean:
      let words = ["true", "false", "yes", "no", "on", "off", "1", "0"]
      guard !words.contains(value.lowercased()) else { return nil }
      return (
        "\(key) must be True or False, but is \(shown)", "write \(key) = False"
      )
    case .integer(let bound):
      if let v = Int(value), v >= bound { return nil }
      return (
        "\(key) must be a whole number of at least \(bound), but is \(shown)",
        "write e.g. \(key) = \(max(1, bound))"
      )
    case .numbers:
      let parts = value.split(separator: ",", omittingEmptySubsequences: false)
      let valid = parts.allSatisfy { part in
        Double(part.trimmingCharacters()).map { $0.isFinite && $0 > 0 }
          ?? false
      }
      return valid
        ? nil
        : (
          "\(key) must be positive numbers, but is \(shown)",
          "write e.g. \(key) = 10"
        )
    case .choice(let names):
      guard !names.contains(value.lowercased()) else { return nil }
      return (
        "\(key) must be one of \(names.joined(separator: ", ")), but is \(shown)",
        "write \(key) = \(names[0])"
      )
    }
  }
}
