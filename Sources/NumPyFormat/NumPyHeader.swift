/// The parsed header of a `.npy` file: dtype string, memory order and shape.
///
/// The header is a Python dictionary literal, for example
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` (NEP 1,
/// "A Simple File Format for NumPy Arrays"). This parser accepts exactly the
/// literals such headers use: strings in single or double quotes, `True`,
/// `False`, `None`, integers (with Python 2's optional `L` suffix), and
/// tuples or lists of them, with any whitespace and trailing commas.
struct NumPyHeader {
  var descr: String
  var fortranOrder: Bool
  var shape: [Int]

  /// A Python literal value.
  indirect enum Literal {
    case string(String)
    case bool(Bool)
    case none
    case integer(Int)
    case sequence([Literal])
    case dictionary([(String, Literal)])
  }

  static func parse(_ text: String) throws(NumPyError) -> NumPyHeader {
    var parser = LiteralParser(scalars: Array(text.unicodeScalars))
    let value = try parser.parseValue(depth: 0)
    parser.skipWhitespace()
    guard parser.position == parser.scalars.count else {
      throw .malformedHeader(
        "unexpected text after the dictionary at offset \(parser.position)")
    }
    guard case .dictionary(let pairs) = value else {
      throw .malformedHeader("the header is not a dictionary")
    }
    func lookup(_ key: String) throws(NumPyError) -> Literal {
      guard let pair = pairs.first(where: { $0.0 == key }) else {
        throw .missingKey(key)
      }
      return pair.1
    }
    let descr: String
    switch try lookup("descr") {
    case .string(let text): descr = text
    default: throw .unsupportedDType("structured or non-string descr")
    }
    guard case .bool(let fortran) = try lookup("fortran_order") else {
      throw .malformedHeader("'fortran_order' must be True or False")
    }
    var shape: [Int] = []
    switch try lookup("shape") {
    case .sequence(let items):
      for item in items {
        guard case .integer(let dim) = item else {
          throw .malformedHeader("'shape' must be a tuple of integers")
        }
        shape.append(dim)
      }
    case .integer(let dim): shape = [dim]
    default: throw .malformedHeader("'shape' must be a tuple of integers")
    }
    return NumPyHeader(descr: descr, fortranOrder: fortran, shape: shape)
  }
}

/// A recursive-descent parser for the Python literals of a `.npy` header.
private struct LiteralParser {
  let scalars: [Unicode.Scalar]
  var position = 0

  mutating func skipWhitespace() {
    while position < scalars.count, scalars[position].properties.isWhitespace {
      position += 1
    }
  }

  private func fail(_ what: String) -> NumPyError {
    .malformedHeader("\(what) at offset \(position)")
  }

  mutating func parseValue(depth: Int) throws(NumPyError) -> NumPyHeader.Literal
  {
    guard depth < 16 else { throw fail("nesting too deep") }
    skipWhitespace()
    guard position < scalars.count else {
      throw fail("unexpected end of header")
    }
    switch scalars[position] {
    case "{": return try parseDictionary(depth: depth)
    case "(": return .sequence(try parseSequence(close: ")", depth: depth))
    case "[": return .sequence(try parseSequence(close: "]", depth: depth))
    case "'", "\"": return .string(try parseString())
    case "-", "0"..."9": return .integer(try parseInteger())
    default:
      for (word, value) in [
        ("True", NumPyHeader.Literal.bool(true)), ("False", .bool(false)),
        ("None", .none),
      ] where matches(word) {
        position += word.unicodeScalars.count
        return value
      }
      throw fail("unexpected character '\(scalars[position])'")
    }
  }

  private func matches(_ word: String) -> Bool {
    let word = Array(word.unicodeScalars)
    guard position + word.count <= scalars.count else { return false }
    return Array(scalars[position..<position + word.count]) == word
  }

  private mutating func parseDictionary(depth: Int) throws(NumPyError)
    -> NumPyHeader.Literal
  {
    position += 1
    var pairs: [(String, NumPyHeader.Literal)] = []
    while true {
      skipWhitespace()
      guard position < scalars.count else {
        throw fail("unterminated dictionary")
      }
      if scalars[position] == "}" {
        position += 1
        return .dictionary(pairs)
      }
      guard scalars[position] == "'" || scalars[position] == "\"" else {
        throw fail("expected a quoted key")
      }
      let key = try parseString()
      skipWhitespace()
      guard position < scalars.count, scalars[position] == ":" else {
        throw fail("expected ':' after key '\(key)'")
      }
      position += 1
      let value = try parseValue(depth: depth + 1)
      if pairs.contains(where: { $0.0 == key }) {
        throw fail("duplicate key '\(key)'")
      }
      pairs.append((key, value))
      skipWhitespace()
      guard position < scalars.count else {
        throw fail("unterminated dictionary")
      }
      if scalars[position] == "," {
        position += 1
      } else if scalars[position] != "}" {
        throw fail("expected ',' or '}'")
      }
    }
  }

  private mutating func parseSequence(close: Unicode.Scalar, depth: Int)
    throws(NumPyError) -> [NumPyHeader.Literal]
  {
    position += 1
    var items: [NumPyHeader.Literal] = []
    while true {
      skipWhitespace()
      guard position < scalars.count else { throw fail("unterminated tuple") }
      if scalars[position] == close {
        position += 1
        return items
      }
      items.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      guard position < scalars.count else { throw fail("unterminated tuple") }
      if scalars[position] == "," {
        position += 1
      } else if scalars[position] != close {
        throw fail("expected ',' or '\(close)'")
      }
    }
  }

  private mutating func parseString() throws(NumPyError) -> String {
    let quote = scalars[position]
    position += 1
    var text = String.UnicodeScalarView()
    while position < scalars.count {
      let scalar = scalars[position]
      position += 1
      if scalar == quote { return String(text) }
      if scalar == "\\" {
        guard position < scalars.count else { break }
        text.append(scalars[position])
        position += 1
      } else {
        text.append(scalar)
      }
    }
    throw fail("unterminated string")
  }

  private mutating func parseInteger() throws(NumPyError) -> Int {
    var negative = false
    if scalars[position] == "-" {
      negative = true
      position += 1
    }
    var value = 0
    var digits = 0
    while position < scalars.count, let digit = Int(String(scalars[position])),
      ("0"..."9").contains(scalars[position])
    {
      let (times, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times.addingReportingOverflow(digit)
      guard !o1, !o2 else {
        throw .malformedHeader("integer too large at offset \(position)")
      }
      value = sum
      digits += 1
      position += 1
    }
    guard digits > 0 else { throw fail("expected digits") }
    if position < scalars.count, scalars[position] == "L" { position += 1 }
    return negative ? -value : value
  }
}
