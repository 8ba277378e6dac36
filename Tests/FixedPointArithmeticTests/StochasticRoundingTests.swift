import FixedPointArithmetic
import TestSupport
import Testing

@Suite("Stochastic rounding (§7)")
struct StochasticRoundingTests {
  @Test("SplitMix64 and FNV-1a 64 reference vectors")
  func referenceVectors() {
    // First outputs of splitmix64.c seeded with 0 and with 1234567.
    #expect(FixedPoint.splitMix64(0) == 0xE220_A839_7B1D_CDAF)
    #expect(FixedPoint.splitMix64(1_234_567) == 6_457_827_717_110_365_317)
    var generator = SplitMix64(seed: 1_234_567)
    #expect(generator.next() == FixedPoint.splitMix64(1_234_567))
    // FNV-1a 64 (Fowler–Noll–Vo reference test vectors).
    #expect(FixedPoint.fnv1a64("") == 0xCBF2_9CE4_8422_2325)
    #expect(FixedPoint.fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
    #expect(FixedPoint.fnv1a64("foobar") == 0x8594_4171_F739_67E8)
  }

  @Test(
    "samples are counter-based: u_i = (SplitMix64(S ⊕ h ⊕ i) >> 11) · 2^−53")
  func counterBased() {
    let stream = StochasticStream(seed: 42, tensorName: "conv1")
    #expect(stream.tensorHash == FixedPoint.fnv1a64("conv1"))
    let forward = (0..<100).map { stream.sample(at: $0) }
    let backward = (0..<100).reversed().map { stream.sample(at: $0) }
    #expect(forward == backward.reversed())
    let i = 7
    let expected =
      FixedPoint.splitMix64(42 ^ FixedPoint.fnv1a64("conv1") ^ UInt64(i)) >> 11
    #expect(stream.sample(at: i).scaled == expected)
    #expect(stream.sample(at: i).value == Double(expected) * 0x1p-53)
    #expect(StochasticStream(seed: 42, tensorHash: stream.tensorHash) == stream)
    #expect(StochasticSample(scaled: .max).scaled == (1 << 53) - 1)
  }

  @Test("r/d > u is strict and exact")
  func strictComparison() throws {
    // 1/3 against u just below, at and above 1/3 · 2^53.
    let third = UInt64((1 << 53) / 3)  // floor(2^53 / 3) < 2^53 / 3
    for (u, up) in [(third, true), (third + 1, false)] {
      let got = try FixedPoint.roundedQuotient(
        1, dividedBy: 3, rounding: .stochastic,
        sample: StochasticSample(scaled: u))
      #expect(got == (up ? 1 : 0), "U=\(u)")
    }
    // r/d = ½ exactly ties with u = ½: not up.
    #expect(
      FixedPoint.roundedShiftRight(
        -3, by: 1, rounding: .stochastic,
        sample: StochasticSample(scaled: 1 << 52)) == -2)
  }

  @Test("the fraction of round-ups approaches r/d")
  func unbiased() {
    let stream = StochasticStream(seed: 2024, tensorName: "fc3")
    var ups = 0
    for i in 0..<4096 {
      // 40.25 at fl 0 from fl 2: 161 / 4.
      let z = FixedPoint.roundedShiftRight(
        161, by: 2, rounding: .stochastic, sample: stream.sample(at: i))
      if z == 41 { ups += 1 } else { #expect(z == 40) }
    }
    #expect((900...1150).contains(ups), "ups=\(ups) of 4096, expected ≈ 1024")
  }
}
