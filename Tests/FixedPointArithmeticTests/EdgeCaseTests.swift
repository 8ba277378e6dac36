import FixedPointArithmetic
import Testing

/// Extreme inputs; nothing may trap.
///
/// Int64.min/max, shifts ≥ 63, B = 32 wrap, unsigned B = 1, NaN, ±∞,
/// subnormals and invalid arguments.
@Suite("Edge cases")
struct EdgeCaseTests {
  static let extremes: [Int64] = [.min, .min + 1, -1, 0, 1, .max - 1, .max]

  @Test(
    "huge right shifts give 0 or −1 exactly",
    arguments: [63, 64, 65, 100, 1000, Int.max])
  func hugeShifts(s: Int) {
    for n in Self.extremes {
      // s = 63: Int64.min / 2^63 = −1 exactly.
      let floor = FixedPoint.roundedShiftRight(n, by: s, rounding: .floor)
      #expect(floor == (n < 0 ? -1 : 0), "n=\(n) s=\(s)")
      let ceilingLike = FixedPoint.roundedShiftRight(
        n, by: s, rounding: .towardZero)
      #expect(ceilingLike == (n == .min && s == 63 ? -1 : 0), "n=\(n) s=\(s)")
      for mode in [RoundingMode.halfUp, .halfEven, .halfAwayFromZero] {
        let got = FixedPoint.roundedShiftRight(n, by: s, rounding: mode)
        // At s = 63, Int64.min + 1 and Int64.max − 1 are within 2^−62 of ∓1.
        let want: Int128 =
          s <= 125 ? Oracle.roundShift(Int128(n), s, mode, u: 0) : 0
        #expect(Int128(got) == want, "n=\(n) s=\(s) \(mode)")
        #expect(
          s != 63 || got == (n <= .min + 1 ? -1 : (n >= .max - 1 ? 1 : 0)))
      }
    }
  }

  @Test("ties at the huge-shift boundary")
  func hugeShiftTies() {
    // Int64.min / 2^64 = −½ exactly.
    #expect(
      FixedPoint.roundedShiftRight(.min, by: 64, rounding: .halfAwayFromZero)
        == -1)
    #expect(
      FixedPoint.roundedShiftRight(.min, by: 64, rounding: .halfEven) == 0)
    #expect(FixedPoint.roundedShiftRight(.min, by: 64, rounding: .halfUp) == 0)
    #expect(
      FixedPoint.roundedShiftRight(.min, by: 65, rounding: .halfAwayFromZero)
        == 0)
    // Int64.min / 2^63 = −1 exactly; Int64.max / 2^63 just under 1.
    #expect(FixedPoint.roundedShiftRight(.max, by: 63, rounding: .floor) == 0)
    #expect(
      FixedPoint.roundedShiftRight(.max, by: 63, rounding: .halfAwayFromZero)
        == 1)
  }

  @Test("stochastic huge shifts: decided beyond s = 117, exact below")
  func stochasticHugeShifts() {
    let samples: [UInt64] = [0, 1, 1 << 52, (1 << 53) - 1]
    for n in Self.extremes {
      for u in samples {
        let sample = StochasticSample(scaled: u)
        let far = FixedPoint.roundedShiftRight(
          n, by: 125, rounding: .stochastic, sample: sample)
        for s in [126, 200, 1 << 20, Int.max] {
          let got = FixedPoint.roundedShiftRight(
            n, by: s, rounding: .stochastic, sample: sample)
          #expect(got == far, "n=\(n) s=\(s) U=\(u)")
        }
        for s in [63, 64, 70, 100, 117, 125] {
          let got = FixedPoint.roundedShiftRight(
            n, by: s, rounding: .stochastic, sample: sample)
          #expect(
            Int128(got) == Oracle.roundShift(Int128(n), s, .stochastic, u: u),
            "n=\(n) s=\(s) U=\(u)")
        }
      }
    }
    // u = 0 rounds any positive fraction up, however small.
    #expect(
      FixedPoint.roundedShiftRight(1, by: Int.max, rounding: .stochastic) == 1)
  }

  @Test("left shifts in roundedShiftRight saturate to Int64")
  func negativeShifts() {
    #expect(FixedPoint.roundedShiftRight(3, by: -2, rounding: .floor) == 12)
    #expect(
      FixedPoint.roundedShiftRight(1, by: -62, rounding: .floor) == 1 << 62)
    #expect(FixedPoint.roundedShiftRight(1, by: -63, rounding: .floor) == .max)
    #expect(FixedPoint.roundedShiftRight(-1, by: -63, rounding: .floor) == .min)
    #expect(
      FixedPoint.roundedShiftRight(-5, by: .min, rounding: .floor) == .min)
    #expect(FixedPoint.roundedShiftRight(0, by: .min, rounding: .floor) == 0)
  }

  @Test(
    "requantize: left shifts ≥ 63 and extreme shift amounts",
    arguments: OverflowPolicy.allCases)
  func requantizeExtremes(policy: OverflowPolicy) throws {
    let f = try QFormat(bits: 8, fractionalLength: 0)
    for n in Self.extremes {
      for s in [-1000, -64, -63, -62, -8, -7, Int.min] {
        let got = FixedPoint.requantize(
          n, shift: s, to: f, rounding: .halfUp, overflow: policy)
        let want = Oracle.requantize(
          Int128(n), shift: max(s, -1000), f, .halfUp, policy, u: 0)
        #expect(got == want, "n=\(n) s=\(s)")
      }
      // fl differences that overflow Int are clamped, not trapped.
      let far = FixedPoint.requantize(
        n, fromFractionalLength: .min, to: f, rounding: .floor, overflow: policy
      )
      #expect(
        far.value == (n == 0 ? 0 : (policy == .wrap ? 0 : (n > 0 ? 127 : -128)))
      )
      let near = FixedPoint.requantize(
        n, fromFractionalLength: .max, to: f, rounding: .floor, overflow: policy
      )
      #expect(near.value == (n < 0 ? -1 : 0))
    }
    // bitlength(1) + 62 > 62: saturates, or wraps to ((1 mod 2^(8−62))…) = 0.
    let r = FixedPoint.requantize(
      1, shift: -62, to: f, rounding: .floor, overflow: policy)
    #expect(r.value == (policy == .wrap ? 0 : 127) && r.event == .positive)
    // 3 << 6 = 192 wraps to −64 in 8 bits.
    let w = FixedPoint.requantize(
      3, shift: -6, to: f, rounding: .floor, overflow: policy)
    #expect(w.value == (policy == .wrap ? -64 : 127) && w.event == .positive)
  }

  @Test("B = 32 wrap and saturate")
  func thirtyTwoBits() throws {
    let f = try QFormat(bits: 32, fractionalLength: 0)
    #expect(f.rawMin == -2_147_483_648 && f.rawMax == 2_147_483_647)
    #expect(
      FixedPoint.applyOverflow(1 << 31, to: f, policy: .wrap) == (
        -2_147_483_648, .positive
      ))
    #expect(
      FixedPoint.applyOverflow(-(1 << 31) - 1, to: f, policy: .wrap) == (
        2_147_483_647, .negative
      ))
    #expect(
      FixedPoint.applyOverflow(.max, to: f, policy: .wrap) == (-1, .positive))
    #expect(
      FixedPoint.applyOverflow(.min, to: f, policy: .wrap) == (0, .negative))
    #expect(
      FixedPoint.applyOverflow(.min, to: f, policy: .saturate) == (
        f.rawMin, .negative
      ))
    let u = try QFormat(bits: 32, fractionalLength: 0, signed: false)
    #expect(u.rawMax == 4_294_967_295)
    #expect(
      FixedPoint.applyOverflow(-1, to: u, policy: .wrap) == (
        4_294_967_295, .negative
      ))
  }

  @Test("unsigned B = 1")
  func unsignedOneBit() throws {
    let f = try QFormat(bits: 1, fractionalLength: 0, signed: false)
    #expect(f.rawMin == 0 && f.rawMax == 1)
    #expect(FixedPoint.applyOverflow(2, to: f, policy: .wrap) == (0, .positive))
    #expect(FixedPoint.applyOverflow(3, to: f, policy: .wrap) == (1, .positive))
    #expect(
      FixedPoint.applyOverflow(-1, to: f, policy: .wrap) == (1, .negative))
    #expect(
      FixedPoint.applyOverflow(-1, to: f, policy: .saturate) == (0, .negative))
    let q = try FixedPoint.quantize(
      0.5, to: f, rounding: .halfUp, overflow: .saturate)
    #expect(q == (1, .none))
    let neg = try FixedPoint.quantize(
      -0.4, to: f, rounding: .halfEven, overflow: .saturate)
    #expect(neg == (0, .none))
  }

  @Test("NaN, ±∞, ±0, subnormals, 2^62 domain limit")
  func quantizeSpecialValues() throws {
    let f = try QFormat(bits: 8, fractionalLength: 4)
    #expect(throws: FixedPointError.notANumber) {
      try FixedPoint.quantize(
        Double.nan, to: f, rounding: .halfEven, overflow: .saturate)
    }
    #expect(throws: FixedPointError.notANumber) {
      try FixedPoint.quantize(
        Float.signalingNaN, to: f, rounding: .halfEven, overflow: .wrap)
    }
    for policy in OverflowPolicy.allCases {
      #expect(
        try FixedPoint.quantize(
          Double.infinity, to: f, rounding: .floor, overflow: policy) == (
            127, .positive
          ))
      #expect(
        try FixedPoint.quantize(
          -Double.infinity, to: f, rounding: .floor, overflow: policy) == (
            -128, .negative
          ))
      #expect(
        try FixedPoint.quantize(-0.0, to: f, rounding: .floor, overflow: policy)
          == (0, .none))
    }
    // The smallest subnormal: floor of a tiny negative is −1, never −0.
    let tiny = Double.leastNonzeroMagnitude
    let low = try QFormat(bits: 8, fractionalLength: -32)
    #expect(
      try FixedPoint.quantize(
        -tiny, to: low, rounding: .floor, overflow: .saturate) == (-1, .none))
    #expect(
      try FixedPoint.quantize(
        -tiny, to: low, rounding: .halfEven, overflow: .saturate) == (0, .none))
    #expect(
      try FixedPoint.quantize(
        tiny, to: low, rounding: .stochastic, overflow: .saturate) == (1, .none)
    )
    // |y| ≥ 2^62: saturate clamps, wrap throws.
    let big = 0x1p58  // · 2^4 = 2^62
    #expect(
      try FixedPoint.quantize(big, to: f, rounding: .floor, overflow: .saturate)
        == (127, .positive))
    #expect(
      try FixedPoint.quantize(
        -big, to: f, rounding: .floor, overflow: .saturate) == (-128, .negative)
    )
    #expect(throws: FixedPointError.outOfModelledDomain(value: -big)) {
      try FixedPoint.quantize(-big, to: f, rounding: .floor, overflow: .wrap)
    }
    #expect(
      throws: FixedPointError.outOfModelledDomain(
        value: .greatestFiniteMagnitude)
    ) {
      try FixedPoint.quantize(
        Double.greatestFiniteMagnitude, to: f, rounding: .floor, overflow: .wrap
      )
    }
    // Just below 2^62 still wraps: (2^62 − 2^9) · ... at fl 4 → 2^62 − 2^13, low 8 bits 0.
    let below = (0x1p62 - 0x1p13) * 0x1p-4
    #expect(
      try FixedPoint.quantize(below, to: f, rounding: .floor, overflow: .wrap)
        == (0, .positive))
  }

  @Test("floor division and quotients at the Int64 extremes")
  func divisionExtremes() throws {
    #expect(try FixedPoint.floorDivide(.min, by: 1) == (.min, 0))
    #expect(try FixedPoint.floorDivide(.min, by: 2) == (.min / 2, 0))
    #expect(try FixedPoint.floorDivide(.min, by: .max) == (-2, Int64.max - 1))
    #expect(try FixedPoint.floorDivide(.max, by: .max) == (1, 0))
    #expect(try FixedPoint.floorDivide(-7, by: 2) == (-4, 1))
    #expect(
      try FixedPoint.roundedQuotient(.max, dividedBy: 2, rounding: .halfUp) == 1
        << 62)
    #expect(
      try FixedPoint.roundedQuotient(
        .min, dividedBy: 3, rounding: .halfAwayFromZero)
        == -3_074_457_345_618_258_603)
    for d: Int64 in [0, -1, .min] {
      #expect(throws: FixedPointError.nonPositiveDivisor(d)) {
        try FixedPoint.floorDivide(5, by: d)
      }
      #expect(throws: FixedPointError.nonPositiveDivisor(d)) {
        try FixedPoint.roundedQuotient(5, dividedBy: d, rounding: .halfEven)
      }
    }
  }

  @Test("pool, residual and multiply at the extremes")
  func layerExtremes() throws {
    let f = try QFormat(bits: 16, fractionalLength: 8)
    #expect(throws: FixedPointError.poolCountNotPositive(0)) {
      try FixedPoint.averagePool(
        sum: 1, count: 0, fractionalLength: 8, to: f, rounding: .halfUp,
        overflow: .saturate)
    }
    #expect(
      throws: FixedPointError.alignmentShiftTooLarge(shift: 63, limit: 62)
    ) {
      try FixedPoint.averagePool(
        sum: 1, count: 1, fractionalLength: -55, to: f, rounding: .halfUp,
        overflow: .saturate)
    }
    #expect(
      throws: FixedPointError.reciprocalShiftOutOfRange(
        shift: 63, allowed: 0...62)
    ) {
      try FixedPoint.averagePool(
        sum: 1, count: 1, fractionalLength: 8, to: f, rounding: .halfUp,
        overflow: .saturate, division: .reciprocal(shift: 63))
    }
    let pooled = try FixedPoint.averagePool(
      sum: .min, count: 1, fractionalLength: -54, to: f, rounding: .halfUp,
      overflow: .wrap)
    #expect(pooled == (0, .negative))
    #expect(
      throws: FixedPointError.alignmentShiftTooLarge(shift: -64, limit: 63)
    ) {
      try FixedPoint.addResidual(
        1, fractionalLength: 0, 1, fractionalLength: 64, to: f,
        rounding: .halfUp, overflow: .saturate)
    }
    let sum = try FixedPoint.addResidual(
      .min, fractionalLength: 0, .min, fractionalLength: 63, to: f,
      rounding: .floor, overflow: .saturate)
    #expect(sum == ResidualSum(value: f.rawMin, event: .negative))
    let square = FixedPoint.multiplyElementwise(
      .min, fractionalLength: 64, .min, fractionalLength: 64, to: f,
      rounding: .halfEven, overflow: .saturate)
    // 2^126 at fl 128, to fl 8: 2^126 / 2^120 = 64.
    #expect(square == (64, .none))
  }
}
