import FixedPointArithmetic
import Testing

@testable import BitAccurateExecution

/// The weight phase's objectives formed in one non-throwing pass over a
/// tensor for several candidates are the scalar path's (one throwing
/// `FixedPoint.quantize` per value, then a sum) bit for bit: ties, zeros of
/// both signs, subnormals, saturating and infinite values, NaN, every
/// width and fl range, signed, symmetric and unsigned formats (issue #19).
@Suite struct QuantizationErrorsTests {
  /// Values that exercise every branch of §4's quantize.
  static func awkwardValues(count: Int) -> [Float] {
    var values: [Float] = (0..<count).map { index in
      let mantissa = Float((index &* 104_729) % 65_521) / 65_521 - 0.5
      let exponent = (index &* 7_919) % 90 - 60
      return mantissa * Float(sign: .plus, exponent: exponent, significand: 1)
    }
    // Exact ties at several fl (k + ½) · 2^(−fl), both signs.
    for fl in [-4, 0, 3, 7, 12] {
      for k in [-3, -2, -1, 0, 1, 2, 5, 127] {
        values.append(
          (Float(k) + 0.5) * Float(sign: .plus, exponent: -fl, significand: 1))
      }
    }
    values += [
      0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
      .leastNormalMagnitude, .greatestFiniteMagnitude,
      -.greatestFiniteMagnitude, 1e30, -3e25, .infinity, -.infinity,
    ]
    return values
  }

  static func formats() throws -> [QFormat] {
    var formats: [QFormat] = []
    for bits in [2, 4, 8, 16, 32] {
      for fl in [-32, -5, 0, 3, 7, 20, 64] {
        formats.append(try QFormat(bits: bits, fractionalLength: fl))
      }
    }
    formats.append(
      try QFormat(bits: 8, fractionalLength: 5, symmetric: true))
    formats.append(try QFormat(bits: 8, fractionalLength: 4, signed: false))
    return formats
  }

  @Test(arguments: [CalibrationObjective.l1, .l2])
  func onePassIsTheScalarPath(objective: CalibrationObjective) throws {
    let formats = try Self.formats()
    for values in [Self.awkwardValues(count: 3000), [], [1.5]] {
      let fast = QuantizationErrors.errors(
        values, formats: formats, objective: objective, overflow: .saturate)
      #expect(fast.count == formats.count)
      for (format, error) in zip(formats, fast) {
        let scalar = QuantizationErrors.scalarError(
          values, format: format, objective: objective, overflow: .saturate)
        #expect(
          error.bitPattern == scalar.bitPattern,
          "\(format) \(objective): \(error) vs \(scalar)")
      }
    }
  }

  @Test func aNaNGivesInfinityAsTheScalarPathDoes() throws {
    var values = Self.awkwardValues(count: 200)
    values.insert(.nan, at: 50)
    let format = try QFormat(bits: 8, fractionalLength: 3)
    let fast = QuantizationErrors.errors(
      values, formats: [format, nil], objective: .l1, overflow: .saturate)
    #expect(
      QuantizationErrors.scalarError(
        values, format: format, objective: .l1, overflow: .saturate)
        == .infinity)
    #expect(fast == [.infinity, .infinity])
  }

  /// A large tensor's candidates split between two cores, a missing
  /// format in the middle: each sum is still the scalar path's.
  @Test func splitBetweenCoresIsTheScalarPath() throws {
    let values = Self.awkwardValues(count: 1 << 16)
    let formats: [QFormat?] = [
      try QFormat(bits: 8, fractionalLength: 2), nil,
      try QFormat(bits: 8, fractionalLength: 3),
      try QFormat(bits: 8, fractionalLength: 4),
      try QFormat(bits: 8, fractionalLength: 5),
      try QFormat(bits: 8, fractionalLength: 6),
      try QFormat(bits: 8, fractionalLength: 7),
    ]
    let fast = QuantizationErrors.errors(
      values, formats: formats, objective: .l2, overflow: .saturate,
      concurrency: 2)
    #expect(fast[1] == .infinity)
    for (format, error) in zip(formats, fast) {
      guard let format else { continue }
      let scalar = QuantizationErrors.scalarError(
        values, format: format, objective: .l2, overflow: .saturate)
      #expect(error.bitPattern == scalar.bitPattern)
    }
  }

  /// `wrap` keeps the scalar path (out-of-domain values give +∞).
  @Test func wrapTakesTheScalarPath() throws {
    let values: [Float] = [1.25, -3.5, 200, 1e30]
    let format = try QFormat(bits: 8, fractionalLength: 4)
    let errors = QuantizationErrors.errors(
      values, formats: [format], objective: .l1, overflow: .wrap)
    #expect(errors == [.infinity])
    let inDomain = QuantizationErrors.errors(
      Array(values.prefix(3)), formats: [format], objective: .l1,
      overflow: .wrap)
    #expect(
      inDomain == [
        QuantizationErrors.scalarError(
          Array(values.prefix(3)), format: format, objective: .l1,
          overflow: .wrap)
      ])
    #expect(inDomain[0].isFinite)
  }
}

/// The largest finite magnitude taken on bit patterns (vectorised) is the
/// float loop's, NaN, infinities, zeros and subnormals included.
@Suite struct MaxMagnitudeTests {
  static func floatLoop(_ values: [Float]) -> Double {
    var top: Float = 0
    for value in values where value.isFinite { top = max(top, abs(value)) }
    return Double(top)
  }

  @Test func bitPatternsGiveTheFloatLoopsMaximum() {
    let awkward = QuantizationErrorsTests.awkwardValues(count: 5000)
    let cases: [[Float]] = [
      awkward, [], [.nan], [-.infinity, .infinity, .nan], [-0.0],
      [.leastNonzeroMagnitude, -.leastNonzeroMagnitude * 3],
      [-.greatestFiniteMagnitude, .infinity, 2],
      awkward.filter { $0.isFinite && abs($0) < 1 } + [.nan, -0.75],
    ]
    for values in cases {
      let fast = CalibrationSession.maxMagnitude(values)
      #expect(fast.bitPattern == Self.floatLoop(values).bitPattern)
    }
    #expect(CalibrationSession.maxMagnitude([-3.5, .nan, 2]) == 3.5)
  }
}
