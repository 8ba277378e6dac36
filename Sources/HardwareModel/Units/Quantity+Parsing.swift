import Diagnostics

extension Quantity {
  /// Parses a number followed by a unit, as people write it.
  ///
  /// Accepted units, with SI prefixes where they make sense (`p n u µ m k K M
  /// G T`, and binary `Ki Mi Gi Ti` for bits and bytes):
  ///
  /// | dimension | units |
  /// |---|---|
  /// | frequency | `Hz` (`150 MHz`) |
  /// | time | `s` (`100 ns`, `1.5 us`), and `cycles`/`cycle` as a cycle count |
  /// | data size | `B`, `byte`, `bit`, `b` (`108 KiB`, `2 MB`, `4.9 Mb`) |
  /// | bandwidth | size `/s`, size `/cycle`, and `bps` (`4.26 GB/s`, `64 bit/cycle`) |
  /// | energy | `J` (`2.5 pJ`); energy per bit: `pJ/bit`, `pJ/B` (per byte, stored per bit) |
  /// | power | `W` (`278 mW`) |
  /// | length | `m` (`28 nm`) |
  ///
  /// `KB` and `kB` are 1000 bytes and `KiB` is 1024 bytes; `b` is a bit and
  /// `B` a byte. Case matters for prefixes (`mW` is a milliwatt, `MW` a
  /// megawatt).
  ///
  /// - Parameter text: The text, e.g. `"150 MHz"`; white space between the
  ///   number and the unit is optional.
  /// - Returns: The quantity in base units.
  /// - Throws: ``UnitError`` when the number or the unit cannot be read.
  public static func parse(_ text: String) throws(UnitError) -> Quantity {
    let scalars = Array(text.unicodeScalars)
    var start = 0
    var end = scalars.count
    while start < end, scalars[start].properties.isWhitespace { start += 1 }
    while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 }
    guard start < end else { throw .empty }
    // The number: sign, digits, point, exponent.
    var i = start
    if scalars[i] == "+" || scalars[i] == "-" { i += 1 }
    var digits = 0
    while i < end, isDigit(scalars[i]) || scalars[i] == "." || scalars[i] == "_"
    {
      if isDigit(scalars[i]) { digits += 1 }
      i += 1
    }
    if digits > 0, i < end, scalars[i] == "e" || scalars[i] == "E" {
      var j = i + 1
      if j < end, scalars[j] == "+" || scalars[j] == "-" { j += 1 }
      if j < end, isDigit(scalars[j]) {
        while j < end, isDigit(scalars[j]) { j += 1 }
        i = j
      }
    }
    let numberText = String(String.UnicodeScalarView(scalars[start..<i]))
      .replacingUnderscores()
    let unitText = String(String.UnicodeScalarView(scalars[i..<end]))
      .trimmingLeadingWhitespace()
    guard digits > 0, let number = Double(numberText) else {
      throw .missingNumber(
        String(String.UnicodeScalarView(scalars[start..<end])))
    }
    guard number.isFinite else { throw .notFinite(numberText) }
    if unitText.isEmpty { throw .missingUnit(expected: []) }
    let (scale, dimension) = try UnitTable.lookup(unitText)
    let value = number * scale
    guard value.isFinite else { throw .notFinite(text) }
    return Quantity(value, dimension)
  }

  /// Parses and checks the dimension.
  ///
  /// - Throws: ``UnitError/wrongDimension(unit:found:expected:)`` when the
  ///   unit measures something else, ``UnitError/missingUnit(expected:)``
  ///   when there is none.
  public static func parse(
    _ text: String, as expected: [Dimension]
  ) throws(UnitError) -> Quantity {
    let quantity: Quantity
    do {
      quantity = try parse(text)
    } catch .missingUnit {
      throw .missingUnit(expected: expected)
    } catch .unknownUnit(let unit, _, _) {
      throw .unknownUnit(
        unit, suggestion: UnitTable.suggestion(for: unit, dimensions: expected),
        expected: expected)
    }
    guard expected.contains(quantity.dimension) else {
      let unit = text.drop { !$0.isLetter && $0 != "µ" }
      throw .wrongDimension(
        unit: String(unit), found: quantity.dimension, expected: expected)
    }
    return quantity
  }

  private static func isDigit(_ s: Unicode.Scalar) -> Bool {
    s.value >= 48 && s.value <= 57
  }
}

extension String {
  fileprivate func replacingUnderscores() -> String {
    String(unicodeScalars.filter { $0 != "_" })
  }
  fileprivate func trimmingLeadingWhitespace() -> String {
    String(unicodeScalars.drop { $0.properties.isWhitespace })
  }
}

/// The unit vocabulary: base units and the prefixes each accepts.
enum UnitTable {
  static let decimalPrefixes: [(String, Double)] = [
    ("f", 1e-15), ("p", 1e-12), ("n", 1e-9), ("u", 1e-6), ("µ", 1e-6),
    ("μ", 1e-6),
    ("m", 1e-3), ("", 1), ("k", 1e3), ("K", 1e3), ("M", 1e6), ("G", 1e9),
    ("T", 1e12),
  ]
  static let sizePrefixes: [(String, Double)] = [
    ("", 1), ("k", 1e3), ("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
    ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824),
    ("Ti", 1_099_511_627_776),
  ]

  /// Simple units: name → (scale to base, dimension, accepts SI prefixes).
  static let simple: [(String, Double, Dimension)] = [
    ("Hz", 1, .frequency), ("s", 1, .time), ("J", 1, .energy), ("W", 1, .power),
    ("m", 1, .length),
  ]

  /// Data-size units in bytes.
  static let sizes: [(String, Double)] = [
    ("B", 1), ("byte", 1), ("bytes", 1), ("bit", 0.125), ("bits", 0.125),
    ("b", 0.125),
  ]

  /// Every spelled-out unit, for did-you-mean hints.
  static let allSpellings: [String] = {
    var all: [String] = []
    for (name, _, dim) in simple {
      for (p, _) in decimalPrefixes where !(dim == .length && p == "m") {
        all.append(p + name)
      }
    }
    for (name, _) in sizes {
      for (p, _) in sizePrefixes { all.append(p + name) }
    }
    for size in [
      "B", "KB", "KiB", "MB", "MiB", "GB", "GiB", "bit", "Kbit", "Mbit", "Gbit",
      "Gb", "Mb",
    ] {
      all.append(size + "/s")
      all.append(size + "/cycle")
    }
    for e in ["fJ", "pJ", "nJ"] {
      all.append(e + "/bit")
      all.append(e + "/B")
    }
    all += ["cycles", "cycle", "bps", "Mbps", "Gbps"]
    return all
  }()

  static func lookup(_ unit: String) throws(UnitError) -> (Double, Dimension) {
    if let found = lookupCompound(unit) { return found }
    throw .unknownUnit(unit, suggestion: suggestion(for: unit, dimensions: []))
  }

  static func lookupCompound(_ unit: String) -> (Double, Dimension)? {
    let parts = unit.split(separator: "/", omittingEmptySubsequences: false)
      .map { String($0).trimmedSpaces() }
    switch parts.count {
    case 1:
      return lookupSingle(parts[0])
    case 2:
      let (numerator, denominator) = (parts[0], parts[1])
      guard let (ns, nd) = lookupSingle(numerator) else { return nil }
      switch (nd, denominator) {
      case (.dataSize, "s"), (.dataSize, "sec"): return (ns, .bandwidth)
      case (.dataSize, "cycle"), (.dataSize, "clk"), (.dataSize, "cycles"):
        return (ns, .bandwidthPerCycle)
      case (.energy, "bit"), (.energy, "b"): return (ns, .energyPerBit)
      case (.energy, "B"), (.energy, "byte"): return (ns / 8, .energyPerBit)
      case (.energy, "access"), (.energy, "op"), (.energy, "MAC"):
        return (ns, .energy)
      default: return nil
      }
    default:
      return nil
    }
  }

  static func lookupSingle(_ unit: String) -> (Double, Dimension)? {
    if unit == "cycles" || unit == "cycle" || unit == "clk" {
      return (1, .cycles)
    }
    if unit.hasSuffix("bps") {
      let prefix = String(unit.dropLast(3))
      if let scale = decimalPrefixes.first(where: {
        $0.0 == prefix && $0.1 >= 1
      })?.1 {
        return (scale / 8, .bandwidth)
      }
    }
    for (name, scale) in sizes where unit.hasSuffix(name) {
      let prefix = String(unit.dropLast(name.count))
      if let p = sizePrefixes.first(where: { $0.0 == prefix }) {
        return (scale * p.1, .dataSize)
      }
    }
    for (name, scale, dimension) in simple where unit.hasSuffix(name) {
      let prefix = String(unit.dropLast(name.count))
      if let p = decimalPrefixes.first(where: { $0.0 == prefix }) {
        return (scale * p.1, dimension)
      }
    }
    return nil
  }

  /// The closest spelling to a mistyped unit, among the units of the expected
  /// dimensions when given.
  ///
  /// A case-only mistake (`mhz`, `GHZ`) is the most common one; sub-hertz
  /// frequencies are never suggested.
  static func suggestion(for unit: String, dimensions: [Dimension]) -> String? {
    let candidates = allSpellings.filter { spelling in
      guard let (_, dimension) = lookupCompound(spelling) else { return false }
      if dimension == .frequency, spelling != "Hz",
        !["k", "K", "M", "G", "T"].contains(spelling.first)
      {
        return false
      }
      return dimensions.isEmpty || dimensions.contains(dimension)
    }
    if let exact = candidates.first(where: {
      $0.lowercased() == unit.lowercased()
    }) {
      return exact
    }
    return Suggestions.closest(to: unit, among: candidates)
  }
}

extension String {
  fileprivate func trimmedSpaces() -> String {
    var s = Substring(self)
    while s.first == " " { s.removeFirst() }
    while s.last == " " { s.removeLast() }
    return String(s)
  }
}
