/// Why a quantity's text could not be read.
public enum UnitError: Error, Hashable, Sendable {
  /// The text is empty.
  case empty
  /// No number at the start of the text.
  case missingNumber(String)
  /// The number is NaN or infinite, or overflows.
  case notFinite(String)
  /// A number without a unit where one is needed.
  case missingUnit(expected: [Dimension])
  /// A unit that is not known; `suggestion` is the closest known one (of the
  /// expected dimensions, when known).
  case unknownUnit(String, suggestion: String?, expected: [Dimension] = [])
  /// A known unit of the wrong dimension.
  case wrongDimension(unit: String, found: Dimension, expected: [Dimension])

  /// One sentence saying what is wrong.
  public var message: String {
    switch self {
    case .empty: "empty value"
    case .missingNumber(let text): "'\(text)' does not start with a number"
    case .notFinite(let text): "'\(text)' is not a finite number"
    case .missingUnit(let expected):
      "missing unit: expected \(Self.phrase(expected))"
    case .unknownUnit(let unit, _, _): "unknown unit '\(unit)'"
    case .wrongDimension(let unit, let found, let expected):
      "'\(unit)' is \(found.phrase), but \(Self.phrase(expected)) is expected"
    }
  }

  /// How to fix it: the expected units, with a did-you-mean where one fits.
  public var hint: String {
    var parts: [String] = []
    if case .unknownUnit(_, let suggestion?, _) = self {
      parts.append("did you mean '\(suggestion)'?")
    }
    let dims: [Dimension]
    switch self {
    case .missingUnit(let expected), .wrongDimension(_, _, let expected),
      .unknownUnit(_, _, let expected):
      dims = expected
    default: dims = []
    }
    if dims.isEmpty {
      parts.append(
        "write a number and a unit, e.g. 150 MHz, 4.26 GB/s, 20 pJ/bit, 108 KiB"
      )
    } else {
      parts.append(
        "write e.g. " + dims.map(\.examples).joined(separator: "; or "))
    }
    return parts.joined(separator: " ")
  }

  static func phrase(_ dims: [Dimension]) -> String {
    dims.map(\.phrase).joined(separator: " or ")
  }
}
