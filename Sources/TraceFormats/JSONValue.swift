import Foundation

/// A JSON value rendered deterministically: object keys sorted, numbers in
/// one fixed format, no whitespace variation, so golden files are stable.
public indirect enum JSONValue: Hashable, Sendable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// An integer.
  case int(Int)
  /// A floating-point number; non-finite values render as `null`.
  case number(Double)
  /// A floating-point number written with every digit needed to read the
  /// same `Double` back (the shortest such text), for figures a reader
  /// must not see rounded (a trace's times); non-finite renders as `null`.
  case exact(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object (rendered with sorted keys).
  case object([String: JSONValue])

  /// The compact rendering.
  public var rendered: String {
    var out = ""
    write(to: &out)
    return out
  }

  func write(to out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .number(let d): out += Self.format(d)
    case .exact(let d): out += d.isFinite ? "\(d)" : "null"
    case .string(let s): Self.quote(s, into: &out)
    case .array(let values):
      out += "["
      for (i, v) in values.enumerated() {
        if i > 0 { out += "," }
        v.write(to: &out)
      }
      out += "]"
    case .object(let fields):
      out += "{"
      for (i, key) in fields.keys.sorted().enumerated() {
        if i > 0 { out += "," }
        Self.quote(key, into: &out)
        out += ":"
        fields[key]?.write(to: &out)
      }
      out += "}"
    }
  }

  /// Nine significant digits (`%.9g`), `null` for NaN and infinities.
  public static func format(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    if value == 0 { return "0" }
    return String(format: "%.9g", value)
  }

  static func quote(_ s: String, into out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}
