/// SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): the seeded generator of
/// every test target, so a random case replays from the seed printed with it.
///
/// The same algorithm as the library's `DesignSpace.SeededGenerator`; the
/// tests keep their own so that a change to the library's sampling cannot
/// move their cases.
package struct SplitMix64: RandomNumberGenerator, Sendable {
  /// The generator's state; the next value is a function of it alone.
  package var state: UInt64

  /// Creates a generator; the same seed always gives the same sequence.
  package init(seed: UInt64) { state = seed }

  /// Creates a generator from a raw state (the same as a seed).
  package init(state: UInt64) { self.state = state }

  /// The next 64 random bits.
  package mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
