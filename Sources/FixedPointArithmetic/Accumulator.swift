/// Accumulator arithmetic: width rule, load-time bound, bias alignment and
/// finalisation (FIXED_POINT.md §5 Accumulator and Bias, §6, §12.5).
///
/// Products p = w · x are exact at fl_w + fl_x, and the dot product over K
/// terms is summed exactly in Int64 under the bound B_w + B_x + ceil(log2 K)
/// ≤ 62. Then, per ``AccumulatorPolicy``:
///
/// | Policy             | Function                                   |
/// |--------------------|--------------------------------------------|
/// | `saturateFinal`    | ``FixedPoint/finalizeAccumulator(_:in:policy:)`` clamps once |
/// | `wrap`             | ``FixedPoint/finalizeAccumulator(_:in:policy:)`` reduces mod 2^A |
/// | `saturateEachStep` | ``FixedPoint/accumulateSaturating(_:adding:in:)`` per addition, bias first |
extension FixedPoint {
  /// The largest accumulator width A (§5).
  public static let accumulatorBitsLimit = 48

  /// The bound on B_w + B_x + ceil(log2 K) (§5).
  public static let exactDotProductBitsLimit = 62

  /// The default accumulator width A (§6): 32 if B_w + B_x ≤ 16, else 48.
  ///
  /// int32 accumulators on mobile CPUs and NPUs (TFLite); 48-bit DSP48
  /// accumulators on Xilinx FPGAs for Qiu-style 16-bit formats.
  @inlinable
  public static func defaultAccumulatorBits(
    weightBits: Int, inputBits: Int
  ) -> Int {
    weightBits <= 16 - inputBits ? 32 : 48
  }

  /// ceil(log2 K) for K ≥ 1: 0 for K = 1, 1 for K = 2, 2 for K = 3…4.
  @inlinable
  public static func ceilLog2(_ k: Int) -> Int {
    k <= 1 ? 0 : Int.bitWidth - (k - 1).leadingZeroBitCount
  }

  /// Load-time checks for a dot product (§5 Accumulator), every problem at once.
  ///
  /// | Check                               | Error                              |
  /// |-------------------------------------|------------------------------------|
  /// | K ≥ 1                               | `termCountNotPositive`             |
  /// | B_w + B_x + ceil(log2 K) ≤ 62       | `accumulatorBoundExceeded`         |
  /// | A ≤ 48                              | `accumulatorTooWide`               |
  ///
  /// - Returns: The problems, or an empty array when the layer is accepted.
  public static func accumulatorProblems(
    weightBits: Int, inputBits: Int, terms: Int, accumulatorBits: Int
  ) -> [FixedPointError] {
    var problems: [FixedPointError] = []
    if terms < 1 { problems.append(.termCountNotPositive(terms)) }
    // In 128 bits, so absurd widths are reported rather than trapping.
    let required =
      Int128(weightBits) + Int128(inputBits)
      + Int128(ceilLog2(terms))
    if required > Int128(exactDotProductBitsLimit) {
      problems.append(
        .accumulatorBoundExceeded(
          weightBits: weightBits, inputBits: inputBits, terms: terms,
          requiredBits: Int(clamping: required)))
    }
    if accumulatorBits > accumulatorBitsLimit {
      problems.append(
        .accumulatorTooWide(bits: accumulatorBits, limit: accumulatorBitsLimit))
    }
    return problems
  }

  /// Aligns a bias stored in its own format into the accumulator (§5 Bias).
  ///
  /// s = fl_b − fl_acc: s ≤ 0 is an exact left shift, s > 0 a rounding shift
  /// with the requantization mode; the result is then **saturated** to A bits
  /// and counted, also for a wrapping accumulator (§12.5).
  ///
  /// With the default bias format (the accumulator grid) no alignment is
  /// needed: quantize the float bias straight to the accumulator format with
  /// `halfEven` and `saturate`.
  ///
  /// - Returns: The accumulator's initial value and the overflow event.
  @inlinable
  public static func alignBias(
    _ bias: Int64, fromFractionalLength fractionalLength: Int,
    to accumulator: QFormat, rounding: RoundingMode,
    sample: StochasticSample = .zero
  ) -> (value: Int64, event: OverflowEvent) {
    requantize(
      bias, fromFractionalLength: fractionalLength, to: accumulator,
      rounding: rounding, overflow: .saturate, sample: sample)
  }

  /// Brings an exact dot-product sum into the accumulator (§5).
  ///
  /// | Policy             | Result                                          |
  /// |--------------------|-------------------------------------------------|
  /// | `saturateFinal`    | clamp to [−2^(A−1), 2^(A−1) − 1]; event if clamped |
  /// | `wrap`             | sum mod 2^A (two's complement); event if it wrapped |
  /// | `saturateEachStep` | clamp (a no-op for sums built with ``accumulateSaturating(_:adding:in:)``) |
  ///
  /// - Returns: The accumulator value and the per-output-element event.
  @inlinable
  public static func finalizeAccumulator(
    _ sum: Int64, in accumulator: QFormat, policy: AccumulatorPolicy
  ) -> (value: Int64, event: OverflowEvent) {
    _applyOverflow(sum, accumulator, policy == .wrap ? .wrap : .saturate)
  }

  /// One addition of a narrow saturating adder (`saturateEachStep`, §5).
  ///
  /// Adds a term (a product, or the bias as the first step) to a running
  /// value and clamps to the accumulator's range; the caller follows the
  /// canonical order (bias, then input channel, kernel row, kernel column;
  /// FC: input index ascending). The addition is exact for every Int64 pair.
  ///
  /// - Returns: The new running value and the step's event.
  @inlinable
  public static func accumulateSaturating(
    _ running: Int64, adding term: Int64, in accumulator: QFormat
  ) -> (value: Int64, event: OverflowEvent) {
    let (sum, overflow) = running.addingReportingOverflow(term)
    if overflow {
      // Both operands share a sign and |sum| ≥ 2^63: outside any A ≤ 48.
      return term > 0
        ? (accumulator.rawMax, .positive) : (accumulator.rawMin, .negative)
    }
    return _applyOverflow(sum, accumulator, .saturate)
  }
}
