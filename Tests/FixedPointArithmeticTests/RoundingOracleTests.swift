import FixedPointArithmetic
import TestSupport
import Testing

/// §2 rounding against the Int128 oracle: exhaustive over small ranges,
/// seeded random over the full Int64 range.
@Suite("Rounding against the exact oracle (§2)")
struct RoundingOracleTests {
  static let samples: [UInt64] = [
    0, 1, 1 << 51, 1 << 52, 3 << 51, (1 << 53) - 1,
  ]

  @Test("every Int8-range n, d in 1…16, every mode", arguments: 1...16)
  func exhaustiveQuotient(d: Int) throws {
    var failures: [String] = []
    for n in -128...127 {
      for mode in RoundingMode.allCases {
        for u in mode == .stochastic ? Self.samples : [0] {
          let sample = StochasticSample(scaled: u)
          let got = try FixedPoint.roundedQuotient(
            Int64(n), dividedBy: Int64(d), rounding: mode, sample: sample)
          let want = Oracle.roundSmall(Int64(n), Int64(d), mode, u: u)
          if got != want {
            failures.append("n=\(n) d=\(d) \(mode) U=\(u): \(got) ≠ \(want)")
          }
        }
      }
    }
    #expect(
      failures.isEmpty, "\(failures.count) failures: \(failures.prefix(5))")
  }

  @Test("every Int16-range n, shift s, every mode", arguments: 0...20)
  func exhaustiveShift(s: Int) {
    var failures: [String] = []
    var random = SplitMix64(seed: UInt64(s))
    for n in Int(Int16.min)...Int(Int16.max) {
      for mode in RoundingMode.allCases {
        let u = mode == .stochastic ? random.sampleScaled() : 0
        let got = FixedPoint.roundedShiftRight(
          Int64(n), by: s, rounding: mode, sample: StochasticSample(scaled: u))
        let want = Oracle.roundSmall(Int64(n), 1 << s, mode, u: u)
        if got != want {
          failures.append("n=\(n) s=\(s) \(mode) U=\(u): \(got) ≠ \(want)")
        }
      }
    }
    #expect(
      failures.isEmpty, "\(failures.count) failures: \(failures.prefix(5))")
  }

  @Test(
    "random n and d over the full Int64 range",
    arguments: [1, 2, 3] as [UInt64])
  func randomQuotient(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    var failures: [String] = []
    for _ in 0..<4000 {
      let n = random.wideInt64()
      let d = random.positiveInt64(maxLength: 63)
      let (q, r) = try FixedPoint.floorDivide(n, by: d)
      let (oq, or) = Oracle.floorDivide(Int128(n), Int128(d))
      if Int128(q) != oq || Int128(r) != or {
        failures.append("floorDivide n=\(n) d=\(d): (\(q), \(r))")
      }
      for mode in RoundingMode.allCases {
        // The oracle's stochastic comparison needs d < 2^73: always true.
        let u = random.sampleScaled()
        let got = try FixedPoint.roundedQuotient(
          n, dividedBy: d, rounding: mode, sample: StochasticSample(scaled: u))
        let want = Oracle.round(Int128(n), Int128(d), mode, u: u)
        if Int128(got) != want {
          failures.append(
            "seed=\(seed) n=\(n) d=\(d) \(mode) U=\(u): \(got) ≠ \(want)")
        }
      }
    }
    #expect(
      failures.isEmpty, "\(failures.count) failures: \(failures.prefix(5))")
  }

  @Test("random n, shifts 0…125, every mode", arguments: [4, 5, 6] as [UInt64])
  func randomShift(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    var failures: [String] = []
    for _ in 0..<3000 {
      let n = random.wideInt64()
      let s = Int.random(in: 0...125, using: &random)
      for mode in RoundingMode.allCases {
        let u = random.sampleScaled()
        let got = FixedPoint.roundedShiftRight(
          n, by: s, rounding: mode, sample: StochasticSample(scaled: u))
        let want = Oracle.roundShift(Int128(n), s, mode, u: u)
        if Int128(got) != want {
          failures.append(
            "seed=\(seed) n=\(n) s=\(s) \(mode) U=\(u): \(got) ≠ \(want)")
        }
      }
    }
    #expect(
      failures.isEmpty, "\(failures.count) failures: \(failures.prefix(5))")
  }

  @Test("power-of-two quotient equals the shift", arguments: [7] as [UInt64])
  func shiftMatchesQuotient(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    for _ in 0..<2000 {
      let n = random.wideInt64()
      let s = Int.random(in: 0...62, using: &random)
      let mode = RoundingMode.allCases.randomElement(using: &random) ?? .floor
      let sample = StochasticSample(scaled: random.sampleScaled())
      let viaShift = FixedPoint.roundedShiftRight(
        n, by: s, rounding: mode, sample: sample)
      let viaQuotient = try FixedPoint.roundedQuotient(
        n, dividedBy: Int64(1) << s, rounding: mode, sample: sample)
      #expect(viaShift == viaQuotient, "n=\(n) s=\(s) \(mode) \(sample)")
    }
  }
}
