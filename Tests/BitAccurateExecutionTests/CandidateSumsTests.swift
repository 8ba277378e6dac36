import CKernels
import FixedPointArithmetic
import TestSupport
import Testing

@testable import BitAccurateExecution

/// CKernels' candidate objectives (`edgesim_candidate_sums`) on every path
/// this CPU has, against the Swift loop
/// (``CalibrationSession/fusedSums(_:count:reference:rounds:scales:objective:into:)``),
/// every sum bit for bit (issue #19).
@Suite struct CandidateSumsTests {
  static let paths = KernelPath.supported.map { ($0.rawValue, $0) }

  static func c(_ path: KernelPath) -> EdgeSimKernels {
    switch path {
    case .portable: EdgeSimKernelsPortable
    case .avx2: EdgeSimKernelsAVX2
    case .avx512: EdgeSimKernelsAVX512
    }
  }

  /// Random accumulators (small, Int32-wide, the whole Int64 range and its
  /// ends), 1–9 candidates of widths 2–32 (signed and unsigned formats),
  /// shifts 1–63, halfUp and floor, L1 and L2, references with ties,
  /// zeros and large values; in two blocks, the second continuing the
  /// first's sums.
  @Test(arguments: paths)
  func everyPathGivesTheSwiftSums(name: String, path: KernelPath) throws {
    var rng = SplitMix64(seed: 6)
    for trial in 0..<300 {
      let count = Int.random(in: 1...700, using: &rng)
      let range = trial % 3
      let accumulators: [Int64] = (0..<count).map { _ in
        switch (range, Int.random(in: 0..<20, using: &rng)) {
        case (_, 0): .min
        case (_, 1): .max
        case (_, 2): 0
        case (0, _): Int64.random(in: -70_000...70_000, using: &rng)
        case (1, _): Int64(Int32.random(in: .min ... .max, using: &rng))
        default: Int64.random(in: .min ... .max, using: &rng)
        }
      }
      let reference: [Float] = (0..<count).map { _ in
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: 0
        case 1: Float(Int.random(in: -8...8, using: &rng)) * 0.5
        case 2: Float.random(in: -1e30...1e30, using: &rng)
        default: Float.random(in: -300...300, using: &rng)
        }
      }
      let width = Int.random(in: 1...9, using: &rng)
      let objective: CalibrationObjective = trial % 2 == 0 ? .l1 : .l2
      let stream = StochasticStream(seed: 0, tensorName: "y")
      var rounds: [CalibrationSession.FusedRound] = []
      var scales: [Double] = []
      for _ in 0..<width {
        let bits = Int.random(in: 2...32, using: &rng)
        let fl = Int.random(in: -8...24, using: &rng)
        let format = try QFormat(
          bits: bits, fractionalLength: fl,
          signed: Int.random(in: 0..<4, using: &rng) != 0)
        let shift = Int.random(in: 1...63, using: &rng)
        let requantization = Requantization(
          from: fl + shift, to: format,
          rounding: Bool.random(using: &rng) ? .halfUp : .floor,
          overflow: .saturate, stream: stream)
        #expect(requantization.fusedShift?.bits == shift)
        rounds.append(CalibrationSession.FusedRound(requantization))
        scales.append(FixedPoint.dequantize(1, from: format))
      }
      let starts = (0..<width).map { _ in
        Double.random(in: 0...5, using: &rng)
      }
      var expected = starts
      var got = starts
      let split = count / 3
      accumulators.withUnsafeBufferPointer { source in
        reference.withUnsafeBufferPointer { floats in
          let (s, r) = (source.baseAddress!, floats.baseAddress!)
          expected.withUnsafeMutableBufferPointer { sum in
            CalibrationSession.fusedSums(
              s, count: count, reference: r, rounds: rounds, scales: scales,
              objective: objective, into: sum)
          }
          got.withUnsafeMutableBufferPointer { sum in
            CalibrationSession.candidateSums(
              s, count: split, reference: r, rounds: rounds, scales: scales,
              objective: objective, into: sum, path: Self.c(path))
            CalibrationSession.candidateSums(
              s + split, count: count - split, reference: r + split,
              rounds: rounds, scales: scales, objective: objective, into: sum,
              path: Self.c(path))
          }
        }
      }
      for candidate in 0..<width
      where got[candidate].bitPattern != expected[candidate].bitPattern {
        Issue.record(
          "\(name) trial \(trial) candidate \(candidate) of \(width): \(got[candidate]) ≠ \(expected[candidate])"
        )
        return
      }
    }
  }
}
