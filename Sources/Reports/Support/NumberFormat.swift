import Foundation

/// Fixed number formats, so the same input always gives the same bytes.
enum NumberFormat {
  /// A coordinate with at most one decimal (`12`, `12.5`), never `-0`.
  static func coordinate(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let tenths = (value * 10).rounded()
    if tenths == 0 { return "0" }
    let whole = Int(tenths) / 10
    let fraction = abs(Int(tenths) % 10)
    let sign = tenths < 0 && whole == 0 ? "-" : ""
    return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
  }

  /// Three significant digits with an SI prefix: `3.33 mJ`, `890 µs`, `1.02
  /// TOP/s`.
  ///
  /// `-` for non-finite values.
  static func si(_ value: Double, _ unit: String) -> String {
    guard value.isFinite else { return "-" }
    if value == 0 { return "0 \(unit)" }
    let prefixes: [(Double, String)] = [
      (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""),
      (1e-3, "m"),
      (1e-6, "µ"), (1e-9, "n"), (1e-12, "p"), (1e-15, "f"),
    ]
    let magnitude = abs(value)
    // Round first, so 999.96 µ becomes 1 m rather than 1e+03 µ.
    let rounded = Double(String(format: "%.3g", magnitude)) ?? magnitude
    for (scale, prefix) in prefixes where rounded >= scale * (1 - 1e-12) {
      return
        "\(value < 0 ? "-" : "")\(significant(magnitude / scale)) \(prefix)\(unit)"
    }
    return String(format: "%.3g \(unit)", value)
  }

  /// A tick value without unit: `0.01`, `1`, `100`, `10k`.
  static func plain(_ value: Double) -> String {
    abs(value) < 1e4
      ? String(format: "%g", value)
      : si(value, "").replacingOccurrences(of: " ", with: "")
  }

  /// Bytes in binary units: `17.1 MiB`, `512 B`.
  static func bytes(_ value: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var v = Double(value)
    var index = 0
    while abs(v) >= 1024 && index < units.count - 1 {
      v /= 1024
      index += 1
    }
    return index == 0 ? "\(value) B" : "\(significant(v)) \(units[index])"
  }

  /// A fraction as a percentage with one decimal: `4.7%`.
  static func percent(_ fraction: Double) -> String {
    guard fraction.isFinite else { return "-" }
    return String(format: "%.1f%%", fraction * 100)
  }

  /// Three significant digits without exponent for values in [1, 1000).
  static func significant(_ value: Double) -> String {
    let text = String(format: "%.3g", value)
    return text.contains("e") ? String(format: "%.0f", value) : text
  }

  /// Nine significant digits (`%.9g`) for CSV, empty for `nil` or non-finite.
  static func exact(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "" }
    if value == 0 { return "0" }
    return String(format: "%.9g", value)
  }
}
