import CKernels

extension CalibrationSession {
  /// Adds each candidate's objective over `count` accumulators to its sum,
  /// as ``fusedSums(_:count:reference:rounds:scales:objective:into:)``
  /// does, through CKernels' `edgesim_candidate_sums`: each element's
  /// candidates scored in one vector where the CPU has AVX2 or AVX-512
  /// (four candidates a vector), each sum a chain of additions in element
  /// order, so every sum is the Swift loop's bit for bit.
  ///
  /// - Parameters:
  ///   - source: The layer's accumulators.
  ///   - count: How many accumulators (and reference values) to score.
  ///   - reference: The float reference, element for element.
  ///   - rounds: The candidates' requantizations.
  ///   - scales: Each candidate's 2^(−fl).
  ///   - objective: L1 or L2.
  ///   - sum: The candidates' sums so far, continued in place.
  ///   - path: A kernel path to use instead of the selected one (tests).
  /// - Complexity: O(`count` × `rounds.count`).
  static func candidateSums(
    _ source: UnsafePointer<Int64>, count: Int, reference: UnsafePointer<Float>,
    rounds: [FusedRound], scales: [Double], objective: CalibrationObjective,
    into sum: UnsafeMutableBufferPointer<Double>, path: EdgeSimKernels? = nil
  ) {
    let candidates = zip(rounds, scales).map { round, scale in
      EdgeSimCandidate(
        shift: round.shift, mask: round.mask, low: round.low,
        high: round.high, scale: scale)
    }
    guard let sums = sum.baseAddress, !candidates.isEmpty else { return }
    let squared: Int32 = objective == .l2 ? 1 : 0
    if let path {
      edgesim_candidate_sums_on(
        path, source, reference, count, candidates, candidates.count, squared,
        sums)
    } else {
      edgesim_candidate_sums(
        source, reference, count, candidates, candidates.count, squared, sums)
    }
  }
}
