/// FNV-1a, 64 bits (Fowler, Noll, Vo; IETF draft-eastlake-fnv): a small,
/// fixed hash for identifiers that must not change between runs, machines
/// or Swift versions (unlike `Hasher`, which is seeded per process).
public enum StableHash {
  /// The FNV-1a hash of a string's UTF-8 bytes.
  ///
  /// - Complexity: O(n) in the string's length.
  public static func fnv1a(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }

  /// The hash as 16 lowercase hexadecimal digits.
  public static func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
  }
}
