import FixedPointArithmetic
import Testing

@Suite("QFormat (§1) and policy names (§11)")
struct QFormatTests {
  @Test(
    "ranges by kind",
    arguments: [
      (8, true, false, -128, 127), (8, true, true, -127, 127),
      (8, false, false, 0, 255), (2, true, false, -2, 1),
      (1, false, false, 0, 1), (32, true, true, -2_147_483_647, 2_147_483_647),
    ] as [(Int, Bool, Bool, Int64, Int64)])
  func ranges(
    bits: Int, signed: Bool, symmetric: Bool, rawMin: Int64, rawMax: Int64
  ) throws {
    let f = try QFormat(
      bits: bits, fractionalLength: 3, signed: signed, symmetric: symmetric)
    #expect(f.rawMin == rawMin && f.rawMax == rawMax)
    #expect(f.contains(rawMin) && f.contains(rawMax))
    #expect(!f.contains(rawMin - 1) && !f.contains(rawMax + 1))
    #expect(f.integerLength == bits - 3)
    #expect(f.resolution == 0.125)
  }

  @Test("validation reports every problem at once")
  func problems() {
    #expect(
      QFormat.problems(bits: 1, fractionalLength: 65, signed: true)
        == [
          .bitsOutOfRange(bits: 1, allowed: 2...32),
          .fractionalLengthOutOfRange(fractionalLength: 65, allowed: -32...64),
        ])
    #expect(
      QFormat.problems(
        bits: 0, fractionalLength: -33, signed: false, symmetric: true)
        == [
          .bitsOutOfRange(bits: 0, allowed: 1...32),
          .fractionalLengthOutOfRange(fractionalLength: -33, allowed: -32...64),
          .symmetricRequiresSigned,
        ])
    #expect(QFormat.problems(bits: 32, fractionalLength: -32).isEmpty)
    #expect(
      QFormat.problems(bits: 1, fractionalLength: 64, signed: false).isEmpty)
    #expect(throws: FixedPointError.bitsOutOfRange(bits: 33, allowed: 2...32)) {
      try QFormat(bits: 33, fractionalLength: 0)
    }
  }

  @Test("symmetric goes with saturate only (§12.8)")
  func symmetricWrap() throws {
    let f = try QFormat(bits: 8, fractionalLength: 7, symmetric: true)
    #expect(f.problems(with: .wrap) == [.symmetricWithWrap])
    #expect(f.problems(with: .saturate).isEmpty)
    #expect(throws: FixedPointError.symmetricWithWrap) {
      try f.validate(with: .wrap)
    }
    #expect(
      FixedPoint.applyOverflow(-128, to: f, policy: .saturate) == (
        -127, .negative
      ))
  }

  @Test("accumulator formats: up to 48 bits, fl from −64 to 128")
  func accumulator() throws {
    let a = try QFormat.accumulator(bits: 48, fractionalLength: 128)
    #expect(a.rawMax == (1 << 47) - 1 && a.rawMin == -(1 << 47) && a.isSigned)
    #expect(throws: FixedPointError.bitsOutOfRange(bits: 49, allowed: 2...48)) {
      try QFormat.accumulator(bits: 49, fractionalLength: 0)
    }
    #expect(
      throws: FixedPointError.fractionalLengthOutOfRange(
        fractionalLength: -65, allowed: -64...128)
    ) {
      try QFormat.accumulator(bits: 32, fractionalLength: -65)
    }
    let moved = try QFormat(bits: 8, fractionalLength: 2).with(
      fractionalLength: 5)
    #expect(moved == (try QFormat(bits: 8, fractionalLength: 5)))
  }

  @Test("names are the precision file's (§11) and the defaults are §6's")
  func names() {
    #expect(
      RoundingMode.allCases.map(\.rawValue)
        == [
          "floor", "towardZero", "halfUp", "halfAwayFromZero", "halfEven",
          "stochastic",
        ])
    #expect(OverflowPolicy.allCases.map(\.rawValue) == ["saturate", "wrap"])
    #expect(
      AccumulatorPolicy.allCases.map(\.rawValue)
        == ["saturateFinal", "wrap", "saturateEachStep"])
    #expect(RoundingMode(rawValue: "halfAwayFromZero") == .halfAwayFromZero)
    #expect(RoundingMode.quantizationDefault == .halfEven)
    #expect(RoundingMode.requantizationDefault == .halfUp)
    #expect(OverflowPolicy.default == .saturate)
    #expect(AccumulatorPolicy.default == .saturateFinal)
    #expect(
      !RoundingMode.stochastic.isDeterministic
        && RoundingMode.floor.isDeterministic)
  }
}
