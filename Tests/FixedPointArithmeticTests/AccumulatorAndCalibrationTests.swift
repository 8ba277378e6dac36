import FixedPointArithmetic
import Testing

@Suite("Accumulator (§5, §6) and calibration helpers (§8)")
struct AccumulatorAndCalibrationTests {
  @Test("default accumulator width: 32 if B_w + B_x ≤ 16, else 48")
  func defaultWidth() {
    #expect(
      FixedPoint.defaultAccumulatorBits(weightBits: 8, inputBits: 8) == 32)
    #expect(
      FixedPoint.defaultAccumulatorBits(weightBits: 4, inputBits: 12) == 32)
    #expect(
      FixedPoint.defaultAccumulatorBits(weightBits: 8, inputBits: 9) == 48)
    #expect(
      FixedPoint.defaultAccumulatorBits(weightBits: 16, inputBits: 16) == 48)
  }

  @Test("load-time checks report every problem")
  func loadTimeChecks() throws {
    #expect(FixedPoint.ceilLog2(1) == 0 && FixedPoint.ceilLog2(2) == 1)
    #expect(FixedPoint.ceilLog2(3) == 2 && FixedPoint.ceilLog2(1024) == 10)
    #expect(FixedPoint.ceilLog2(1025) == 11 && FixedPoint.ceilLog2(.max) == 63)
    // 16 + 16 + ceil(log2 2^30) = 62: accepted; one more term is not.
    #expect(
      FixedPoint.accumulatorProblems(
        weightBits: 16, inputBits: 16, terms: 1 << 30, accumulatorBits: 48
      ).isEmpty)
    #expect(
      FixedPoint.accumulatorProblems(
        weightBits: 16, inputBits: 16, terms: (1 << 30) + 1, accumulatorBits: 49
      )
        == [
          .accumulatorBoundExceeded(
            weightBits: 16, inputBits: 16, terms: (1 << 30) + 1,
            requiredBits: 63),
          .accumulatorTooWide(bits: 49, limit: 48),
        ])
    #expect(
      FixedPoint.accumulatorProblems(
        weightBits: .max, inputBits: .max, terms: 0, accumulatorBits: 32
      ).count == 2)
    let a = try QFormat(bits: 16, fractionalLength: 40)
    let b = try QFormat(bits: 8, fractionalLength: -6)
    #expect(FixedPoint.residualAlignmentProblems(a, b) == [])  // 46 + 16
    let c = try QFormat(bits: 16, fractionalLength: -7)
    #expect(
      FixedPoint.residualAlignmentProblems(a, c) == [
        .residualAlignmentExceeded(requiredBits: 63, limit: 62)
      ])
  }

  @Test("finalisation by policy and saturate-each-step")
  func finalisation() throws {
    let acc = try QFormat.accumulator(bits: 8, fractionalLength: 6)
    #expect(
      FixedPoint.finalizeAccumulator(200, in: acc, policy: .saturateFinal) == (
        127, .positive
      ))
    #expect(
      FixedPoint.finalizeAccumulator(200, in: acc, policy: .wrap) == (
        -56, .positive
      ))
    #expect(
      FixedPoint.finalizeAccumulator(-3, in: acc, policy: .saturateEachStep)
        == (-3, .none))
    // Bias 100, then products 50, −90, 30: steps 100, 127 (event), 37, 67.
    var running: Int64 = 0
    var counts = OverflowCounts()
    for term: Int64 in [100, 50, -90, 30] {
      let step = FixedPoint.accumulateSaturating(running, adding: term, in: acc)
      running = step.value
      counts.record(step.event)
    }
    #expect(running == 67 && counts == OverflowCounts(positive: 1, negative: 0))
    // saturateFinal on the same terms: 90, no event; order matters only per step.
    #expect(
      FixedPoint.finalizeAccumulator(90, in: acc, policy: .saturateFinal) == (
        90, .none
      ))
    // Int64 extremes never trap.
    #expect(
      FixedPoint.accumulateSaturating(.max, adding: .max, in: acc) == (
        127, .positive
      ))
    #expect(
      FixedPoint.accumulateSaturating(.min, adding: -1, in: acc) == (
        -128, .negative
      ))
    var merged = OverflowCounts(positive: 2, negative: 3)
    merged.merge(counts)
    #expect(merged.total == 6)
  }

  @Test(
    "bias alignment: left shift exact, right shift rounded, always saturated (§12.5)"
  )
  func biasAlignment() throws {
    let acc = try QFormat.accumulator(bits: 16, fractionalLength: 10)
    // fl_b 8 → 10: exact left shift.
    #expect(
      FixedPoint.alignBias(
        -100, fromFractionalLength: 8, to: acc, rounding: .halfUp) == (
          -400, .none
        ))
    // fl_b 12 → 10: 10 / 4 = 2.5 → halfUp 3, halfEven 2.
    #expect(
      FixedPoint.alignBias(
        10, fromFractionalLength: 12, to: acc, rounding: .halfUp) == (3, .none))
    #expect(
      FixedPoint.alignBias(
        10, fromFractionalLength: 12, to: acc, rounding: .halfEven) == (
          2, .none
        ))
    // Saturated to A bits even though the accumulator might wrap.
    #expect(
      FixedPoint.alignBias(
        30_000, fromFractionalLength: 8, to: acc, rounding: .halfUp) == (
          32_767, .positive
        ))
  }

  @Test(
    "centre fl₀ = B − 1 − ceil(log2 M) and candidates",
    arguments: [
      (3.2, 8, 5), (4.0, 8, 5), (4.000001, 8, 4), (0.75, 8, 7), (0.5, 8, 8),
      (0.0, 8, 7), (1000.0, 16, 5), (0x1p-1074, 8, 1081),
    ] as [(Double, Int, Int)])
  func centre(magnitude: Double, bits: Int, expected: Int) throws {
    #expect(
      try FixedPoint.centreFractionalLength(maxMagnitude: magnitude, bits: bits)
        == expected)
    let candidates = try FixedPoint.candidateFractionalLengths(
      maxMagnitude: magnitude, bits: bits)
    let legal = QFormat.fractionalLengths
    #expect(
      candidates == max(
        min(expected - 2, 64), -32)...max(min(expected + 3, 64), -32))
    #expect(
      legal.contains(candidates.lowerBound)
        && legal.contains(candidates.upperBound))
  }

  @Test("ceil(log2 M) is exact, and bad magnitudes are rejected")
  func ceilLog2() throws {
    #expect(try FixedPoint.ceilLog2(1.0) == 0)
    #expect(try FixedPoint.ceilLog2(1.0.nextUp) == 1)
    #expect(try FixedPoint.ceilLog2(0x1p-1074) == -1074)
    #expect(try FixedPoint.ceilLog2(0x1.8p-1070) == -1069)
    #expect(try FixedPoint.ceilLog2(.greatestFiniteMagnitude) == 1024)
    for bad in [-1.0, .infinity, .nan] {
      #expect(throws: FixedPointError.self) {
        try FixedPoint.centreFractionalLength(maxMagnitude: bad, bits: 8)
      }
    }
    #expect(
      try FixedPoint.candidateFractionalLengths(
        maxMagnitude: 1, bits: 8, offsets: -1...1) == 6...8)
    #expect(
      try FixedPoint.candidateFractionalLengths(
        maxMagnitude: 1, bits: 8, offsets: Int.min...Int.max) == -32...64)
  }

  @Test("Ristretto ilRule and the argmin tie rule")
  func ilRule() throws {
    // M = 3.2: ceil(log2) = 2; weights IL 3 → fl 5; activations IL 2 → fl 6.
    #expect(
      try FixedPoint.ilRuleFractionalLength(
        maxMagnitude: 3.2, bits: 8, role: .weights) == 5)
    #expect(
      try FixedPoint.ilRuleFractionalLength(
        maxMagnitude: 3.2, bits: 8, role: .activations) == 6)
    #expect(
      try FixedPoint.ilRuleFractionalLength(
        maxMagnitude: 0, bits: 8, role: .activations) == 7)
    let errors: [(fractionalLength: Int, error: Double)] = [
      (7, 0.5), (5, 0.25), (6, 0.25), (4, .nan),
    ]
    #expect(FixedPoint.bestFractionalLength(errors) == 5)
    #expect(
      FixedPoint.bestFractionalLength([(fractionalLength: 3, error: Double.nan)]
      ) == nil)
  }
}
