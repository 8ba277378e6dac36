/// The value of a symbolic dimension's name under the bound symbols.
///
/// Exporters name derived dimensions by expressions of others:
/// `past_sequence_length + 1`, `past_sequence_length + sequence_length`,
/// `s0 + s1`, `2*s0`. A name that is such an expression — symbols and whole
/// numbers joined by `+`, `-` and `*`, with the usual precedence and no
/// parentheses — has the value of the expression once every symbol in it is
/// bound; any other name is a symbol of its own.
enum DimensionExpression {
  /// The value of `name`, or `nil` when it is not an expression of bound
  /// symbols (a plain symbol, an unbound symbol, other characters, or a
  /// value that overflows).
  static func value(of name: String, bound: [String: Int]) -> Int? {
    guard let terms = parse(name), terms.count > 1 || terms[0].factors.count > 1
    else { return nil }
    var total = 0
    for term in terms {
      var product = 1
      for factor in term.factors {
        let v: Int
        switch factor {
        case .number(let n): v = n
        case .symbol(let s):
          guard let b = bound[s] else { return nil }
          v = b
        }
        let (p, overflow) = product.multipliedReportingOverflow(by: v)
        guard !overflow else { return nil }
        product = p
      }
      let (t, overflow) =
        term.negative
        ? total.subtractingReportingOverflow(product)
        : total.addingReportingOverflow(product)
      guard !overflow else { return nil }
      total = t
    }
    return total
  }

  /// The symbols an expression name refers to (empty for a plain name).
  static func symbols(in name: String) -> [String] {
    guard let terms = parse(name), terms.count > 1 || terms[0].factors.count > 1
    else { return [] }
    return terms.flatMap(\.factors).compactMap {
      if case .symbol(let s) = $0 { s } else { nil }
    }
  }

  private enum Factor {
    case number(Int)
    case symbol(String)
  }

  private struct Term {
    var negative: Bool
    var factors: [Factor]
  }

  /// Splits `a + 2*b - c` into signed products; `nil` when the name holds
  /// anything else.
  private static func parse(_ name: String) -> [Term]? {
    var terms: [Term] = []
    var current = Term(negative: false, factors: [])
    var token = ""
    func flush() -> Bool {
      guard !token.isEmpty else { return false }
      if let n = Int(token) {
        guard n >= 0 else { return false }
        current.factors.append(.number(n))
      } else {
        guard let first = token.unicodeScalars.first,
          first == "_" || (first.properties.isAlphabetic && first.isASCII),
          token.unicodeScalars.allSatisfy({
            $0 == "_" || $0 == "." || ($0.isASCII && $0.properties.isAlphabetic)
              || ("0"..."9").contains($0)
          })
        else { return false }
        current.factors.append(.symbol(token))
      }
      token = ""
      return true
    }
    for ch in name.unicodeScalars {
      switch ch {
      case " ", "\t": continue
      case "+", "-":
        guard flush() else { return nil }
        terms.append(current)
        current = Term(negative: ch == "-", factors: [])
      case "*":
        guard flush() else { return nil }
      default:
        token.unicodeScalars.append(ch)
      }
    }
    guard flush() else { return nil }
    terms.append(current)
    return terms
  }
}
