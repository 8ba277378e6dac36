/// One uniform sample u ∈ [0, 1) for stochastic rounding, held exactly as the
/// integer U = u · 2^53.
///
/// FIXED_POINT.md §7: stochastic rounding returns q + 1 when r/d > u, compared
/// exactly as r · 2^53 > d · U in wide integers. Deterministic modes ignore
/// the sample.
public struct StochasticSample: Hashable, Sendable {
  /// U = u · 2^53, in [0, 2^53).
  public let scaled: UInt64

  /// Creates a sample from U = u · 2^53; bits above the low 53 are dropped,
  /// so every value is a valid sample.
  @inlinable
  public init(scaled: UInt64) { self.scaled = scaled & ((1 << 53) - 1) }

  /// u = 0, the sample deterministic callers pass.
  ///
  /// With `stochastic` rounding, u = 0 rounds every inexact value up; callers
  /// using that mode must pass the element's sample from
  /// ``StochasticStream/sample(at:)``.
  public static let zero = StochasticSample(scaled: 0)

  /// u as a Double (exact).
  public var value: Double { Double(scaled) * 0x1p-53 }
}

/// The counter-based source of stochastic-rounding samples for one tensor in
/// one run.
///
/// FIXED_POINT.md §7: for element index i of tensor t in run seed S,
/// u = (SplitMix64(S ⊕ hash64(t) ⊕ i) >> 11) · 2^(−53), with hash64 the
/// FNV-1a 64 hash of the tensor's UTF-8 name. Counter-based, so the sample of
/// an element does not depend on the order elements are visited.
///
/// ```swift
/// let stream = StochasticStream(seed: 42, tensorName: "conv1")
/// let u = stream.sample(at: 7)
/// ```
///
/// SplitMix64(x) is the first output of Vigna's SplitMix64 generator whose
/// state is x: the state is advanced by the golden gamma 0x9E3779B97F4A7C15
/// before mixing (``FixedPoint/splitMix64(_:)``).
public struct StochasticStream: Hashable, Sendable {
  /// The run seed S.
  public let seed: UInt64
  /// hash64(t), the FNV-1a 64 hash of the tensor name.
  public let tensorHash: UInt64

  /// Creates the stream for a run seed and a tensor name.
  public init(seed: UInt64, tensorName: String) {
    self.seed = seed
    self.tensorHash = FixedPoint.fnv1a64(tensorName)
  }

  /// Creates the stream from a run seed and a precomputed tensor hash.
  public init(seed: UInt64, tensorHash: UInt64) {
    self.seed = seed
    self.tensorHash = tensorHash
  }

  /// The sample for a flat element index (row-major in the tensor's shape).
  ///
  /// The index is reinterpreted as its 64-bit two's complement pattern.
  /// - Complexity: O(1).
  @inlinable
  public func sample(at index: Int) -> StochasticSample {
    let state = seed ^ tensorHash ^ UInt64(truncatingIfNeeded: index)
    return StochasticSample(scaled: FixedPoint.splitMix64(state) >> 11)
  }
}

extension FixedPoint {
  /// The first output of a SplitMix64 generator with state x (§7).
  ///
  /// z = x + 0x9E3779B97F4A7C15; z = (z ⊕ z >> 30) · 0xBF58476D1CE4E5B9;
  /// z = (z ⊕ z >> 27) · 0x94D049BB133111EB; return z ⊕ z >> 31, all mod 2^64
  /// (Steele, Lea and Flood, OOPSLA 2014; Vigna's `splitmix64.c`).
  @inlinable
  public static func splitMix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The FNV-1a 64-bit hash of a string's UTF-8 bytes (§7).
  ///
  /// Offset basis 0xCBF29CE484222325, prime 0x100000001B3.
  /// - Complexity: O(n) in the UTF-8 length.
  public static func fnv1a64(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
      hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
    return hash
  }
}
