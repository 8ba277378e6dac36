import FixedPointArithmetic
import Testing

@testable import BitAccurateExecution

/// The data phase's fused objectives, whatever the number of candidates
/// (groups of four chains, three when three are left), are each
/// candidate's sum over the requantized raws in element order, bit for
/// bit (issue #19).
@Suite struct FusedSumsTests {
  @Test(
    arguments: [
      (CalibrationObjective.l1, RoundingMode.halfUp), (.l2, .halfUp),
      (.l1, .floor), (.l2, .floor),
    ])
  func everyWidthGivesEachCandidatesOwnSum(
    objective: CalibrationObjective, rounding: RoundingMode
  ) throws {
    let count = 3001
    let accumulators: [Int64] = (0..<count).map {
      Int64(($0 &* 7919) % 200_003) - 100_001
    }
    let reference: [Float] = (0..<count).map {
      Float(($0 &* 104_729) % 65_521) * 0.013 - 400
    }
    let stream = StochasticStream(seed: 0, tensorName: "y")
    for width in 1...7 {
      // Narrow formats: the smaller fl saturate.
      let requantizations = try (0..<width).map {
        Requantization(
          from: 12, to: try QFormat(bits: 8, fractionalLength: $0 - 2),
          rounding: rounding, overflow: .saturate, stream: stream)
      }
      #expect(requantizations.allSatisfy { $0.fusedShift != nil })
      let rounds = requantizations.map { CalibrationSession.FusedRound($0) }
      let scales = requantizations.map {
        FixedPoint.dequantize(1, from: $0.format)
      }
      let starts = (0..<width).map { Double($0) * 0.25 }
      var sums = starts
      accumulators.withUnsafeBufferPointer { source in
        reference.withUnsafeBufferPointer { floats in
          sums.withUnsafeMutableBufferPointer { sum in
            // In two blocks, the second continuing the first's sums.
            CalibrationSession.fusedSums(
              source.baseAddress!, count: 1000, reference: floats.baseAddress!,
              rounds: rounds, scales: scales, objective: objective, into: sum)
            CalibrationSession.fusedSums(
              source.baseAddress! + 1000, count: count - 1000,
              reference: floats.baseAddress! + 1000, rounds: rounds,
              scales: scales, objective: objective, into: sum)
          }
        }
      }
      for (candidate, requantization) in requantizations.enumerated() {
        var raws = [Int64](repeating: 0, count: count)
        accumulators.withUnsafeBufferPointer { source in
          raws.withUnsafeMutableBufferPointer { target in
            _ = requantization.apply(
              source.baseAddress!, into: target.baseAddress!, count: count,
              first: 0)
          }
        }
        var sum = starts[candidate]
        for (raw, y) in zip(raws, reference) {
          let e =
            FixedPoint.dequantize(raw, from: requantization.format) - Double(y)
          sum += objective == .l1 ? abs(e) : e * e
        }
        #expect(
          sums[candidate].bitPattern == sum.bitPattern,
          "width \(width), candidate \(candidate)")
      }
    }
  }
}
