/// Which tensor role Ristretto's integer-length rule is applied to.
///
/// | Role          | IL                 | fl = B − IL               |
/// |---------------|--------------------|---------------------------|
/// | `weights`     | ceil(log2 M) + 1   | B − 1 − ceil(log2 M)      |
/// | `activations` | ceil(log2 M)       | B − ceil(log2 M)          |
public enum CalibrationRole: String, CaseIterable, Hashable, Sendable {
  /// Weights (and biases).
  case weights
  /// Activations (layer outputs and the network input).
  case activations
}

/// Candidate fractional lengths for calibration (FIXED_POINT.md §8).
///
/// For a tensor with max magnitude M > 0 and width B the search centre is
/// fl₀ = B − 1 − ceil(log2 M), the largest fl at which M does not saturate
/// (up to the tie at powers of two); M = 0 gives fl₀ = B − 1. ceil(log2 M) is
/// exact: the Double's exponent, plus one unless M is a power of two.
extension FixedPoint {
  /// ceil(log2 M) for finite M > 0, exactly.
  ///
  /// - Throws: ``FixedPointError/invalidMagnitude(_:)`` unless M is finite
  ///   and positive.
  public static func ceilLog2(_ magnitude: Double) throws(FixedPointError)
    -> Int
  {
    guard magnitude.isFinite, magnitude > 0 else {
      throw .invalidMagnitude(magnitude)
    }
    let exponent = Int(magnitude.exponent)
    return magnitude.significandWidth == 0 ? exponent : exponent + 1
  }

  /// The search centre fl₀ = B − 1 − ceil(log2 M); M = 0 → B − 1 (§8).
  ///
  /// Worked: M = 3.2, B = 8 → ceil(log2 3.2) = 2 → fl₀ = 5; M = 4 → 5 too
  /// (4 at fl 5 is 128, which saturates to 127 — the power-of-two tie).
  ///
  /// - Throws: ``FixedPointError/invalidMagnitude(_:)`` for M < 0, ±∞ or NaN.
  public static func centreFractionalLength(
    maxMagnitude: Double, bits: Int
  ) throws(FixedPointError) -> Int {
    if maxMagnitude == 0 { return bits - 1 }
    return bits - 1 - (try ceilLog2(maxMagnitude))
  }

  /// The candidate fls fl₀ + offsets.lowerBound … fl₀ + offsets.upperBound
  /// (§8, default −2…+3), clamped to the storage range [−32, 64].
  ///
  /// - Throws: ``FixedPointError/invalidMagnitude(_:)`` for M < 0, ±∞ or NaN.
  public static func candidateFractionalLengths(
    maxMagnitude: Double, bits: Int, offsets: ClosedRange<Int> = -2...3
  ) throws(FixedPointError) -> ClosedRange<Int> {
    let centre = try centreFractionalLength(
      maxMagnitude: maxMagnitude, bits: bits)
    let legal = QFormat.fractionalLengths
    func clamped(_ offset: Int) -> Int {
      let (fl, overflow) = centre.addingReportingOverflow(offset)
      if overflow { return offset > 0 ? legal.upperBound : legal.lowerBound }
      return min(max(fl, legal.lowerBound), legal.upperBound)
    }
    return clamped(offsets.lowerBound)...clamped(offsets.upperBound)
  }

  /// Ristretto's rule, `ilRule` (§8): fl = B − IL.
  ///
  /// IL = ceil(log2 M) + 1 for weights and ceil(log2 M) for activations.
  /// M = 0 gives B − 1.
  ///
  /// - Throws: ``FixedPointError/invalidMagnitude(_:)`` for M < 0, ±∞ or NaN.
  public static func ilRuleFractionalLength(
    maxMagnitude: Double, bits: Int, role: CalibrationRole
  ) throws(FixedPointError) -> Int {
    if maxMagnitude == 0 { return bits - 1 }
    let log = try ceilLog2(maxMagnitude)
    switch role {
    case .weights: return bits - (log + 1)
    case .activations: return bits - log
    }
  }

  /// The argmin of a calibration objective.
  ///
  /// Ties go to the smaller fl (more headroom, §8); NaN errors never win.
  ///
  /// - Returns: The chosen fl, or `nil` when no candidate has a number.
  public static func bestFractionalLength(
    _ candidates: some Sequence<(fractionalLength: Int, error: Double)>
  ) -> Int? {
    var best: (fractionalLength: Int, error: Double)?
    for candidate in candidates where !candidate.error.isNaN {
      if let current = best {
        if candidate.error < current.error
          || (candidate.error == current.error
            && candidate.fractionalLength < current.fractionalLength)
        {
          best = candidate
        }
      } else {
        best = candidate
      }
    }
    return best?.fractionalLength
  }
}
