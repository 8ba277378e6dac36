/// A physical value with its dimension, stored in the dimension's base unit.
///
/// Parsed from text as people write it (``Quantity/parse(_:)``):
///
/// ```swift
/// let clock = try Quantity.parse("150 MHz")   // 1.5e8, .frequency
/// let glb = try Quantity.parse("108 KiB")     // 110592, .dataSize
/// let kb = try Quantity.parse("2 KB")         // 2000: KB = 1000 B
/// ```
public struct Quantity: Hashable, Sendable, CustomStringConvertible {
  /// The value in the dimension's base unit (``Dimension/baseUnit``).
  public var value: Double
  /// What the value measures.
  public var dimension: Dimension

  /// Creates a quantity from a value in base units.
  public init(_ value: Double, _ dimension: Dimension) {
    self.value = value
    self.dimension = dimension
  }

  /// The value formatted with an engineering prefix, for example `150 MHz`,
  /// `108 KiB`, `4.26 GB/s`, `20 pJ/bit`.
  public var description: String { UnitFormatter.format(self) }
}

/// Renders quantities with engineering prefixes, for tables and messages.
public enum UnitFormatter {
  /// Formats a quantity with three significant digits and a prefix.
  public static func format(_ q: Quantity) -> String {
    switch q.dimension {
    case .dataSize: return binary(q.value, unit: "B")
    case .cycles: return "\(trim(q.value)) cycles"
    case .length: return decimal(q.value, unit: "m")
    default: return decimal(q.value, unit: q.dimension.baseUnit)
    }
  }

  /// Formats with SI prefixes from femto to tera.
  public static func decimal(_ value: Double, unit: String) -> String {
    guard value.isFinite, value != 0 else { return "\(trim(value)) \(unit)" }
    let prefixes: [(Double, String)] = [
      (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""),
      (1e-3, "m"), (1e-6, "µ"), (1e-9, "n"), (1e-12, "p"), (1e-15, "f"),
    ]
    let magnitude = abs(value)
    for (scale, prefix) in prefixes where magnitude >= scale * 0.9995 {
      return "\(trim(value / scale)) \(prefix)\(unit)"
    }
    return "\(trim(value / 1e-15)) f\(unit)"
  }

  /// Formats byte counts with binary prefixes (KiB, MiB, GiB).
  public static func binary(_ value: Double, unit: String) -> String {
    let prefixes: [(Double, String)] = [
      (1_099_511_627_776, "Ti"), (1_073_741_824, "Gi"), (1_048_576, "Mi"),
      (1024, "Ki"),
    ]
    for (scale, prefix) in prefixes where abs(value) >= scale {
      return "\(trim(value / scale)) \(prefix)\(unit)"
    }
    return "\(trim(value)) \(unit)"
  }

  /// Three significant digits, without trailing zeros.
  public static func trim(_ value: Double) -> String {
    guard value.isFinite else { return "\(value)" }
    if value == value.rounded(), abs(value) < 1e15 {
      return String(Int64(value))
    }
    let magnitude = abs(value)
    let decimals =
      magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : magnitude >= 1 ? 3 : 4
    var text = fixed(value, decimals: decimals)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text
  }

  /// Fixed-point decimal rendering without Foundation (stable across platforms).
  public static func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded(.toNearestOrEven)
    guard scaled < 9e18 else { return "\(value)" }
    let integer = Int64(scaled)
    let unit = Int64(scale)
    let whole = integer / unit
    var fraction = String(integer % unit)
    while fraction.count < decimals { fraction = "0" + fraction }
    let sign = value < 0 && integer != 0 ? "-" : ""
    return decimals == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
  }
}
