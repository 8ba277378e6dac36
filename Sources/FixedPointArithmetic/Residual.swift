/// How an element-wise add (residual) aligns its inputs (FIXED_POINT.md §5).
///
/// | Case            | Steps                                                         | Roundings |
/// |-----------------|---------------------------------------------------------------|-----------|
/// | `alignUp`       | a, b shifted left to fl_c = max(fl_a, fl_b); S = a' + b' exact; requantize S to F_y | one |
/// | `alignToOutput` | requantize a and b to F_y separately; add; apply F_y's policy | two, counted separately |
public enum ResidualAlignment: String, CaseIterable, Hashable, Sendable {
  /// Align up, add exactly, round once (the default, §6).
  case alignUp
  /// Requantize each input to the output first (cheap hardware).
  case alignToOutput
}

/// The raw sum of a residual add and its overflow events.
public struct ResidualSum: Hashable, Sendable {
  /// The raw in the output format.
  public var value: Int64
  /// The event of the final step (the requantization of S for `alignUp`,
  /// the policy on a' + b' for `alignToOutput`).
  public var event: OverflowEvent
  /// The event requantizing a to F_y (`alignToOutput` only, else `.none`).
  public var firstInputEvent: OverflowEvent
  /// The event requantizing b to F_y (`alignToOutput` only, else `.none`).
  public var secondInputEvent: OverflowEvent

  /// Creates a result.
  @inlinable
  public init(
    value: Int64, event: OverflowEvent,
    firstInputEvent: OverflowEvent = .none,
    secondInputEvent: OverflowEvent = .none
  ) {
    self.value = value
    self.event = event
    self.firstInputEvent = firstInputEvent
    self.secondInputEvent = secondInputEvent
  }
}

extension FixedPoint {
  /// The largest |fl_a − fl_b| ``addResidual(_:fractionalLength:_:fractionalLength:to:rounding:overflow:alignment:sample:)``
  /// computes exactly in 128 bits.
  public static let residualShiftLimit = 63

  /// Element-wise add of a (fl_a) and b (fl_b) into F_y (§5).
  ///
  /// Worked (§5): a = 50 @ fl 4, b = −7 @ fl 2: b' = −28, S = 22 @ fl 4;
  /// to fl 3 → 11 exactly; to fl 2 → 5.5 → `halfEven` 6, `halfUp` 6, `floor` 5.
  ///
  /// With `alignToOutput` the same sample u serves both roundings.
  ///
  /// - Returns: The raw in F_y and the events.
  /// - Throws: ``FixedPointError/alignmentShiftTooLarge(shift:limit:)`` when
  ///   |fl_a − fl_b| > 63 (`alignUp` only). The load-time bound of
  ///   ``residualAlignmentProblems(_:_:)`` is stricter.
  @inlinable
  public static func addResidual(
    _ a: Int64, fractionalLength flA: Int, _ b: Int64,
    fractionalLength flB: Int,
    to format: QFormat, rounding: RoundingMode, overflow: OverflowPolicy,
    alignment: ResidualAlignment = .alignUp, sample: StochasticSample = .zero
  ) throws(FixedPointError) -> ResidualSum {
    switch alignment {
    case .alignUp:
      let delta = _clampedDifference(flA, flB)
      guard delta.magnitude <= UInt(residualShiftLimit) else {
        throw .alignmentShiftTooLarge(shift: delta, limit: residualShiftLimit)
      }
      let flC = max(flA, flB)
      // One operand shifts by |delta| ≤ 63: |S| ≤ 2^126 + 2^63.
      let sum = (Int128(a) << (flC - flA)) + (Int128(b) << (flC - flB))
      let s = _clampedDifference(flC, format.fractionalLength)
      let (value, event) = _requantize(
        sum, s, format, rounding, overflow, sample)
      return ResidualSum(value: value, event: event)
    case .alignToOutput:
      let (x, xEvent) = requantize(
        a, fromFractionalLength: flA, to: format, rounding: rounding,
        overflow: overflow, sample: sample)
      let (y, yEvent) = requantize(
        b, fromFractionalLength: flB, to: format, rounding: rounding,
        overflow: overflow, sample: sample)
      // Both are within 48-bit ranges, so the sum cannot overflow.
      let (value, event) = _applyOverflow(x + y, format, overflow)
      return ResidualSum(
        value: value, event: event, firstInputEvent: xEvent,
        secondInputEvent: yEvent)
    }
  }

  /// Element-wise multiply: the exact product at fl_a + fl_b, requantized
  /// once to F_y (§5).
  ///
  /// - Returns: The raw in F_y and the overflow event.
  /// - Complexity: O(1); the product is formed in 128 bits.
  @inlinable
  public static func multiplyElementwise(
    _ a: Int64, fractionalLength flA: Int, _ b: Int64,
    fractionalLength flB: Int,
    to format: QFormat, rounding: RoundingMode, overflow: OverflowPolicy,
    sample: StochasticSample = .zero
  ) -> (value: Int64, event: OverflowEvent) {
    let product = Int128(a) * Int128(b)
    let flP = flA.addingReportingOverflow(flB)
    let fl = flP.overflow ? (flA > 0 ? Int.max : Int.min) : flP.partialValue
    let s = _clampedDifference(fl, format.fractionalLength)
    return _requantize(product, s, format, rounding, overflow, sample)
  }

  /// Load-time check for a residual add: |fl_a − fl_b| + max(B_a, B_b) ≤ 62
  /// (§5 Shift bounds); graphs violating it are rejected.
  ///
  /// - Returns: The problem, or an empty array.
  public static func residualAlignmentProblems(
    _ a: QFormat, _ b: QFormat
  ) -> [FixedPointError] {
    let required =
      (a.fractionalLength - b.fractionalLength).magnitude
      + UInt(max(a.bits, b.bits))
    guard required > 62 else { return [] }
    return [.residualAlignmentExceeded(requiredBits: Int(required), limit: 62)]
  }
}
