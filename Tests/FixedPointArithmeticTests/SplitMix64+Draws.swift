import TestSupport

/// Draws of the oracle tests, from the shared seeded generator.
extension SplitMix64 {
  /// An Int64 whose magnitude has a uniformly chosen bit length (0…64), so
  /// small, medium and extreme values all appear.
  mutating func wideInt64() -> Int64 {
    let length = Int.random(in: 0...64, using: &self)
    if length == 0 { return 0 }
    let raw = next()
    let magnitude =
      length == 64
      ? raw : raw & ((1 << UInt64(length)) - 1) | (1 << UInt64(length - 1))
    return Bool.random(using: &self)
      ? Int64(bitPattern: magnitude) : Int64(bitPattern: 0 &- magnitude)
  }

  /// A positive Int64 with a uniformly chosen bit length in 1…maxLength.
  mutating func positiveInt64(maxLength: Int) -> Int64 {
    let length = Int.random(in: 1...maxLength, using: &self)
    let raw = next() & ((1 << UInt64(length)) - 1) | (1 << UInt64(length - 1))
    return Int64(raw)
  }

  /// A stochastic sample U in [0, 2^53), with the ends over-represented.
  mutating func sampleScaled() -> UInt64 {
    switch Int.random(in: 0..<8, using: &self) {
    case 0: return 0
    case 1: return (1 << 53) - 1
    case 2: return 1 << 52
    default: return next() >> 11
    }
  }
}
