import TestSupport

/// A deterministic mutator of file contents, in the spirit of libFuzzer's:
/// bit flips, byte inserts and deletes, splices with another seed, repeated
/// chunks, YAML tokens and unit suffixes, and numbers chosen to overflow
/// conversions (`1e19`, `9223372036854775807`, `-0`, `nan`, `1e-300`).
struct Mutator {
  var generator: SplitMix64

  /// Tokens inserted into YAML files.
  static let yamlTokens = [
    "&a ", "*a", ": ", "- ", "[", "]", "{", "}", "'", "\"", "|", ">", "#",
    "\n", "\n  ", ",", "? ", "!!str ", "!!int ", "~", "<<: *a", "---\n",
    "...\n", "\t",
  ]

  /// Units and words the readers know.
  static let words = [
    " B", " KiB", " MiB", " GiB", " TiB", " GHz", " MHz", " Hz", " B/s",
    " GB/s", " B/cycle", " pJ", " pJ/bit", " W", " mW", " nm", " s", " ns",
    "unlimited", "int8", "fp32", "true", "null", "os", "ws", "is", "..",
    " by ", "measured",
  ]

  /// Numbers that stress conversions and arithmetic.
  static let numbers = [
    "1e19", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "18446744073709551615", "-0", "nan", ".nan",
    ".inf", "-.inf", "1e-300", "1e300", "4294967296", "2147483648", "0",
    "-1", "0.5", "1e-20", "65536", "1.7976931348623157e308",
    "4.9e-324",
  ]

  init(seed: UInt64) { generator = SplitMix64(seed: seed) }

  mutating func index(_ count: Int) -> Int {
    count <= 1 ? 0 : Int.random(in: 0..<count, using: &generator)
  }

  mutating func pick(_ strings: [String]) -> [UInt8] {
    Array(strings[index(strings.count)].utf8)
  }

  /// `bytes` changed by one to three mutations; `other` is spliced in by
  /// some of them.
  mutating func mutate(_ bytes: [UInt8], other: [UInt8], yaml: Bool)
    -> [UInt8]
  {
    var result = bytes
    for _ in 0...index(3) {
      mutateOnce(&result, other: other, yaml: yaml)
    }
    return result
  }

  mutating func mutateOnce(_ bytes: inout [UInt8], other: [UInt8], yaml: Bool) {
    let at = index(bytes.count + 1)
    switch index(10) {
    case 0:
      guard !bytes.isEmpty else { return }
      let i = index(bytes.count)
      bytes[i] ^= 1 << UInt8(index(8))
    case 1:
      bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: at)
    case 2:
      guard !bytes.isEmpty else { return }
      let start = index(bytes.count)
      let end = min(bytes.count, start + 1 + index(16))
      bytes.removeSubrange(start..<end)
    case 3:
      let cut = index(other.count + 1)
      bytes = Array(bytes[..<at]) + other[cut...]
    case 4:
      guard !bytes.isEmpty else { return }
      let start = index(bytes.count)
      let end = min(bytes.count, start + 1 + index(64))
      let chunk = bytes[start..<end]
      let times = 1 + index(64)
      bytes.insert(
        contentsOf: Array(repeating: Array(chunk), count: times).joined(),
        at: end)
    case 5:
      bytes.insert(
        contentsOf: yaml ? pick(Self.yamlTokens) : pick([",", "\n", "="]),
        at: at)
    case 6:
      bytes.insert(contentsOf: pick(Self.words), at: at)
    case 7, 8:
      replaceNumber(&bytes)
    default:
      // A byte that matters to parsers, or a boundary value.
      let special: [UInt8] = [0, 0x0A, 0x0D, 0x20, 0x7F, 0x80, 0xFF, 0x3A]
      if bytes.isEmpty || index(2) == 0 {
        bytes.insert(special[index(special.count)], at: at)
      } else {
        bytes[index(bytes.count)] = special[index(special.count)]
      }
    }
  }

  /// Replaces a run of digits (or inserts at a random place when there is
  /// none) with one of ``numbers``.
  mutating func replaceNumber(_ bytes: inout [UInt8]) {
    let digits = bytes.indices.filter { (0x30...0x39).contains(bytes[$0]) }
    let number = pick(Self.numbers)
    guard !digits.isEmpty else {
      bytes.insert(contentsOf: number, at: index(bytes.count + 1))
      return
    }
    var start = digits[index(digits.count)]
    var end = start + 1
    let numeric: ClosedRange<UInt8> = 0x30...0x39
    while start > 0,
      numeric.contains(bytes[start - 1]) || bytes[start - 1] == 0x2E
    {
      start -= 1
    }
    while end < bytes.count, numeric.contains(bytes[end]) || bytes[end] == 0x2E
    {
      end += 1
    }
    bytes.replaceSubrange(start..<end, with: number)
  }
}
