import FixedPointArithmetic
import Testing

/// Every worked example of FIXED_POINT.md §2–§5, as golden values.
@Suite("Worked examples (FIXED_POINT.md §2–§5)")
struct WorkedExampleTests {
  /// (B 8, fl 4), the format of most §2–§3 examples.
  static func q84Format() throws -> QFormat {
    try QFormat(bits: 8, fractionalLength: 4)
  }

  // §2: 2.53125 at fl 4 → 40.5; −2.53125 → −40.5.
  @Test(
    "quantize ±2.53125 at (8, 4)",
    arguments: [
      (RoundingMode.halfEven, 40, -40), (.halfUp, 41, -40),
      (.halfAwayFromZero, 41, -41), (.floor, 40, -41), (.towardZero, 40, -40),
    ] as [(RoundingMode, Int64, Int64)])
  func quantizeHalf(mode: RoundingMode, positive: Int64, negative: Int64) throws
  {
    let up = try FixedPoint.quantize(
      2.53125, to: try Self.q84Format(), rounding: mode, overflow: .saturate)
    let down = try FixedPoint.quantize(
      -2.53125, to: try Self.q84Format(), rounding: mode, overflow: .saturate)
    #expect(up.value == positive && up.event == .none)
    #expect(down.value == negative && down.event == .none)
    // The Float overload agrees (2.53125 is exact in Float).
    let float = try FixedPoint.quantize(
      Float(2.53125), to: try Self.q84Format(), rounding: mode, overflow: .wrap)
    #expect(float.value == positive)
  }

  @Test("quantize 2.53125 stochastically: 40 or 41 by u against ½")
  func quantizeHalfStochastic() throws {
    let below = StochasticSample(scaled: (1 << 52) - 1)  // u just under ½
    let tie = StochasticSample(scaled: 1 << 52)  // u = ½: r/d > u is false
    #expect(
      try FixedPoint.quantize(
        2.53125, to: try Self.q84Format(), rounding: .stochastic,
        overflow: .saturate,
        sample: below
      ).value == 41)
    #expect(
      try FixedPoint.quantize(
        2.53125, to: try Self.q84Format(), rounding: .stochastic,
        overflow: .saturate,
        sample: tie
      ).value == 40)
  }

  // §2: acc −38 and −37 by s = 2.
  @Test(
    "requantize −38 and −37 by s = 2",
    arguments: [
      (RoundingMode.halfEven, -10, -9), (.halfUp, -9, -9),
      (.halfAwayFromZero, -10, -9), (.floor, -10, -10), (.towardZero, -9, -9),
    ] as [(RoundingMode, Int64, Int64)])
  func requantizeByTwo(mode: RoundingMode, of38: Int64, of37: Int64) throws {
    let out = try Self.q84Format()
    let a = FixedPoint.requantize(
      -38, shift: 2, to: out, rounding: mode, overflow: .saturate)
    let b = FixedPoint.requantize(
      -37, fromFractionalLength: 6, to: out, rounding: mode, overflow: .wrap)
    #expect(a.value == of38 && a.event == .none)
    #expect(b.value == of37 && b.event == .none)
    #expect(FixedPoint.roundedShiftRight(-38, by: 2, rounding: mode) == of38)
    #expect(
      (try? FixedPoint.roundedQuotient(-37, dividedBy: 4, rounding: mode))
        == of37)
  }

  // §3: 9.0 at (8, 4) → z = 144.
  @Test("9.0 at (8, 4): saturate 127, wrap −112")
  func nineAtQ8_4() throws {
    let sat = try FixedPoint.quantize(
      9.0, to: try Self.q84Format(), rounding: .halfEven, overflow: .saturate)
    let wrap = try FixedPoint.quantize(
      9.0, to: try Self.q84Format(), rounding: .halfEven, overflow: .wrap)
    #expect(sat.value == 127 && sat.event == .positive)
    #expect(wrap.value == -112 && wrap.event == .positive)
    #expect(
      FixedPoint.dequantize(sat.value, from: try Self.q84Format()) == 7.9375)
    #expect(
      FixedPoint.dequantize(wrap.value, from: try Self.q84Format()) == -7.0)
    let direct = FixedPoint.applyOverflow(
      144, to: try Self.q84Format(), policy: .wrap)
    #expect(direct.value == -112 && direct.event == .positive)
  }

  @Test("fl = −2, B = 8: 13 → 3 (value 12), range [−512, 508]")
  func negativeFractionalLength() throws {
    let f = try QFormat(bits: 8, fractionalLength: -2)
    let q = try FixedPoint.quantize(
      13, to: f, rounding: .halfEven, overflow: .saturate)
    #expect(q.value == 3 && q.event == .none)
    #expect(FixedPoint.dequantize(q.value, from: f) == 12)
    #expect(f.minValue == -512 && f.maxValue == 508)
    #expect(f.integerLength == 10)
  }

  @Test("fl = 6, B = 4: 0.05 → 3 (0.046875), range [−0.125, 0.109375]")
  func fractionalLengthAboveBits() throws {
    let f = try QFormat(bits: 4, fractionalLength: 6)
    let q = try FixedPoint.quantize(
      0.05, to: f, rounding: .halfEven, overflow: .saturate)
    #expect(q.value == 3 && q.event == .none)
    #expect(FixedPoint.dequantize(q.value, from: f) == 0.046875)
    #expect(f.minValue == -0.125 && f.maxValue == 0.109375)
    #expect(f.integerLength == -2)
  }

  // §5 average pool: raws [3, 4, 4, 4] at fl 2 → S = 15, 3.75.
  @Test(
    "average pool [3, 4, 4, 4] at fl 2",
    arguments: [
      (RoundingMode.halfEven, 4), (.halfUp, 4), (.floor, 3),
      (.towardZero, 3), (.halfAwayFromZero, 4),
    ] as [(RoundingMode, Int64)])
  func averagePool(mode: RoundingMode, expected: Int64) throws {
    let f = try QFormat(bits: 8, fractionalLength: 2)
    let sum: Int64 = [3, 4, 4, 4].reduce(0, +)
    let exact = try FixedPoint.averagePool(
      sum: sum, count: 4, fractionalLength: 2, to: f, rounding: mode,
      overflow: .saturate)
    #expect(exact.value == expected)
    // reciprocal(16): R = 2^14 exactly, so the same result.
    let reciprocal = try FixedPoint.averagePool(
      sum: sum, count: 4, fractionalLength: 2, to: f, rounding: mode,
      overflow: .saturate,
      division: .reciprocal(shift: AveragePoolDivision.defaultReciprocalShift))
    #expect(reciprocal.value == expected)
  }

  // §5 residual: a = 50 @ fl 4, b = −7 @ fl 2 → S = 22 @ fl 4.
  @Test(
    "residual add 50@4 + −7@2",
    arguments: [
      (RoundingMode.halfEven, 11, 6), (.halfUp, 11, 6), (.floor, 11, 5),
      (.towardZero, 11, 5), (.halfAwayFromZero, 11, 6),
    ] as [(RoundingMode, Int64, Int64)])
  func residual(mode: RoundingMode, atThree: Int64, atTwo: Int64) throws {
    let f3 = try QFormat(bits: 8, fractionalLength: 3)
    let f2 = try QFormat(bits: 8, fractionalLength: 2)
    let three = try FixedPoint.addResidual(
      50, fractionalLength: 4, -7, fractionalLength: 2, to: f3,
      rounding: mode, overflow: .saturate)
    let two = try FixedPoint.addResidual(
      50, fractionalLength: 4, -7, fractionalLength: 2, to: f2,
      rounding: mode, overflow: .saturate)
    #expect(three == ResidualSum(value: atThree, event: .none))
    #expect(two == ResidualSum(value: atTwo, event: .none))
  }

  @Test("residual add alignToOutput rounds each input once")
  func residualAlignToOutput() throws {
    let f2 = try QFormat(bits: 8, fractionalLength: 2)
    // a: 50 @ 4 → 12.5 → halfEven 12 (halfUp 13); b = −7 unchanged.
    let even = try FixedPoint.addResidual(
      50, fractionalLength: 4, -7, fractionalLength: 2, to: f2,
      rounding: .halfEven, overflow: .saturate, alignment: .alignToOutput)
    let up = try FixedPoint.addResidual(
      50, fractionalLength: 4, -7, fractionalLength: 2, to: f2,
      rounding: .halfUp, overflow: .saturate, alignment: .alignToOutput)
    #expect(even.value == 5)
    #expect(up.value == 6)
  }

  @Test("ReLU6 bounds and Clip (§5, §12.4)")
  func reluSix() throws {
    #expect(FixedPoint.relu6Bound(in: try Self.q84Format()) == 96)
    let f5 = try QFormat(bits: 8, fractionalLength: 5)
    #expect(FixedPoint.relu6Bound(in: f5) == 127)
    #expect(FixedPoint.clip(-5, lower: 0, upper: 96) == 0)
    #expect(FixedPoint.clip(100, lower: 0, upper: 96) == 96)
    #expect(FixedPoint.relu(-1) == 0 && FixedPoint.relu(7) == 7)
    let bounds = try FixedPoint.clipBounds(
      lower: -1.03125, upper: .infinity, in: try Self.q84Format())
    #expect(bounds.lower == -16 && bounds.upper == 127)  // −16.5 → −16
  }
}
