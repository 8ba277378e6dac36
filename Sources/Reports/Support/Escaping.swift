/// Escapes text for HTML and SVG (XML) content and attribute values.
///
/// `&`, `<`, `>`, `"` and `'` become character references. Characters XML
/// 1.0 forbids even as references (C0 controls other than tab, newline and
/// carriage return, and U+FFFE/U+FFFF) become U+FFFD, so every inline SVG
/// stays well-formed XML whatever a layer is called.
enum Escaping {
  /// The escaped text.
  static func text(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for scalar in s.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE
          || scalar.value == 0xFFFF
        {
          out += "\u{FFFD}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }
}
