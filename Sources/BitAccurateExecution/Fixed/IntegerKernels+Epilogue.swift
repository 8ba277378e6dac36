import CKernels
import FixedPointArithmetic

extension IntegerKernels {
  /// The epilogue of the Int16 kernels in the common case, in one tight
  /// pass over a block of Int32 sums: bias plus sum, clamped to the
  /// accumulator (`saturateFinal`, counted), shifted right rounding
  /// `halfUp` or `floor`, clamped to the output format (counted) and then
  /// to `requantization.outputClamp` (a fused ReLU or Clip).
  ///
  /// Gives the integers and events of
  /// ``finishBlock(rows:columns:accumulators:store:output:first:acc:policy:requantization:events:outputEvents:bias:sum:)``;
  /// kept out of line, with the rounding as a mask rather than a branch or
  /// a closure, so that its loop keeps every bound in a register.
  ///
  /// - Parameters:
  ///   - sums: `rows × columns` exact dot products.
  ///   - rows: The rows (output channels) of the block.
  ///   - columns: The columns (output positions) of the block.
  ///   - bias: The rows' initial values, or `nil` for zeros.
  ///   - acc: The accumulator format.
  ///   - requantization: The node's requantization (its output format and
  ///     the ReLU or Clip fused into it, if any).
  ///   - shift: Its right shift and whether it rounds `halfUp` (else
  ///     `floor`).
  ///   - sumBound: A bound on |sum|: a row whose bias plus this bound stays
  ///     within the accumulator skips the clamp.
  ///   - accumulators: Where the accumulators go, or `nil` when not kept.
  ///   - output: Where the output raws go, as `Int64` or (for an output
  ///     format of at most 16 bits) `Int16`.
  /// - Returns: The accumulator and the output events.
  @inline(never)
  static func finishSums<Target: RawLane>(
    _ sums: UnsafePointer<Int32>, rows: Int, columns: Int,
    bias: UnsafePointer<Int64>?, acc: QFormat,
    requantization: Requantization, shift: (bits: Int, halfUp: Bool),
    sumBound: Int64 = .max, accumulators: UnsafeMutablePointer<Int64>?,
    output: UnsafeMutablePointer<Target>
  ) -> (OverflowCounts, OverflowCounts) {
    let clamp = requantization.outputClamp.bounds(in: requantization.format)
    let bounds = EpilogueBounds(
      low: acc.rawMin, high: acc.rawMax,
      outLow: requantization.format.rawMin,
      outHigh: requantization.format.rawMax,
      bottom: clamp.bottom, top: clamp.top,
      shift: shift.bits, roundBit: shift.halfUp ? 1 : 0)
    var counts = EpilogueCounts()
    for row in 0..<rows {
      let offset = row &* columns
      let b = bias?[row] ?? 0
      let (reach, overflow) = Int64(clamping: b.magnitude)
        .addingReportingOverflow(sumBound)
      // A row that no sum can take out of the accumulator has nothing to
      // clamp or count there.
      let safe = !overflow && reach <= bounds.high && -reach >= bounds.low
      let source = sums + offset
      let target = output + offset
      if safe, reach <= Lanes.limit,
        let narrow = NarrowEpilogue(bounds, bias: b)
      {
        // Whole groups of eight lanes, then the rest as below.
        let done = narrow.run(source, target, count: columns, &counts)
        epilogueRow(
          source + done, target + done, nil, count: columns &- done, bias: b,
          checked: false, bounds, &counts)
        // Kept accumulators: bias plus sum, unclamped (the row is safe),
        // in a pass of their own that the compiler vectorises.
        if let kept = accumulators.map({ $0 + offset }) {
          Self.widen(source, bias: b, count: columns, into: kept)
        }
        continue
      }
      withEitherCase(accumulators.map { $0 + offset }) { kept in
        if safe {
          epilogueRow(
            source, target, kept, count: columns, bias: b, checked: false,
            bounds, &counts)
        } else {
          epilogueRow(
            source, target, kept, count: columns, bias: b, checked: true,
            bounds, &counts)
        }
      }
    }
    return (
      OverflowCounts(positive: counts.positive, negative: counts.negative),
      OverflowCounts(
        positive: counts.outPositive, negative: counts.outNegative)
    )
  }

  /// `bias + sums[q]` for each of `count` sums, as Int64: the accumulators
  /// of a row no sum can take out of the accumulator format.
  @inline(never)
  static func widen(
    _ sums: UnsafePointer<Int32>, bias: Int64, count: Int,
    into kept: UnsafeMutablePointer<Int64>
  ) {
    for q in 0..<count { kept[q] = bias &+ Int64(sums[q]) }
  }

  /// `body(pointer)`, inlined once for `nil` and once for a pointer, so that
  /// the loops inside test it at compile time rather than per element.
  @inline(__always)
  private static func withEitherCase(
    _ pointer: UnsafeMutablePointer<Int64>?,
    _ body: (UnsafeMutablePointer<Int64>?) -> Void
  ) {
    if let pointer { body(pointer) } else { body(nil) }
  }

  /// One row of ``finishSums(_:rows:columns:bias:acc:requantization:shift:sumBound:accumulators:output:)``;
  /// without `checked`, the caller has shown that no sum leaves the
  /// accumulator, and the clamp and its counts are left out.
  @inline(__always)
  private static func epilogueRow<Target: RawLane>(
    _ source: UnsafePointer<Int32>, _ target: UnsafeMutablePointer<Target>,
    _ kept: UnsafeMutablePointer<Int64>?, count: Int, bias: Int64,
    checked: Bool, _ bounds: EpilogueBounds, _ counts: inout EpilogueCounts
  ) {
    let (low, high) = (bounds.low, bounds.high)
    let (outLow, outHigh, bottom, top) = (
      bounds.outLow, bounds.outHigh, bounds.bottom, bounds.top
    )
    let s = bounds.shift
    let roundBit = bounds.roundBit
    var positive = 0
    var negative = 0
    var outPositive = 0
    var outNegative = 0
    for q in 0..<count {
      var a = bias &+ Int64(source[q])
      if checked {
        positive &+= a > high ? 1 : 0
        negative &+= a < low ? 1 : 0
        a = Swift.max(Swift.min(a, high), low)
      }
      if let kept { kept[q] = a }
      // halfUp adds bit s − 1 (r ≥ 2^(s−1)); floor adds nothing.
      let r = (a &>> s) &+ ((a &>> (s &- 1)) & roundBit)
      outPositive &+= r > outHigh ? 1 : 0
      outNegative &+= r < outLow ? 1 : 0
      // Within the output format, which `Target` holds.
      target[q] = Target(
        truncatingIfNeeded: Swift.min(
          Swift.max(Swift.min(r, outHigh), bottom), top))
    }
    counts.positive &+= positive
    counts.negative &+= negative
    counts.outPositive &+= outPositive
    counts.outNegative &+= outNegative
  }
}

/// The epilogue of a row whose accumulators cannot overflow and whose every
/// value and bound lies within ±``Lanes/limit``, in Int32 lanes (CKernels):
/// the same integers and counts as the Int64 loop.
private struct NarrowEpilogue {
  let bias: Int32
  let shift: Int32
  let roundBit: Int32
  let outLow: Int32
  let outHigh: Int32
  let bottom: Int32
  let top: Int32

  /// `nil` unless the shift is 1…31 and the output bounds lie within
  /// ±``Lanes/limit`` (the caller shows that |bias + sum| does too).
  init?(_ bounds: EpilogueBounds, bias: Int64) {
    guard bounds.shift >= 1, bounds.shift <= 31,
      bounds.outLow >= -Lanes.limit, bounds.outHigh <= Lanes.limit,
      let bias = Int32(exactly: bias),
      let bottom = Int32(exactly: bounds.bottom),
      let top = Int32(exactly: bounds.top)
    else { return nil }
    let (outLow, outHigh) = (Int32(bounds.outLow), Int32(bounds.outHigh))
    self.bias = bias
    shift = Int32(bounds.shift)
    roundBit = Int32(bounds.roundBit)
    self.outLow = outLow
    self.outHigh = outHigh
    self.bottom = bottom
    self.top = top
  }

  /// Runs all `count` elements (CKernels' `edgesim_epilogue_i32` or
  /// `edgesim_epilogue_i32_to_i16`, 8 or 16 lanes at a time where the CPU
  /// has them) and returns how many it ran.
  func run<Target: RawLane>(
    _ source: UnsafePointer<Int32>, _ target: UnsafeMutablePointer<Target>,
    count: Int, _ counts: inout EpilogueCounts
  ) -> Int {
    var above: Int64 = 0
    var below: Int64 = 0
    Target.epilogue(
      source, count: count, bias: bias, shift: shift, roundBit: roundBit,
      low: outLow, high: outHigh, bottom: bottom, top: top, into: target,
      above: &above, below: &below)
    counts.outPositive &+= Int(above)
    counts.outNegative &+= Int(below)
    return count
  }
}

/// The bounds of one epilogue: accumulator, output, the fused clamp's
/// bottom and top (``OutputClamp/bounds(in:)``) and the rounding shift.
private struct EpilogueBounds {
  var low: Int64
  var high: Int64
  var outLow: Int64
  var outHigh: Int64
  var bottom: Int64
  var top: Int64
  var shift: Int64
  var roundBit: Int64

  init(
    low: Int64, high: Int64, outLow: Int64, outHigh: Int64, bottom: Int64,
    top: Int64, shift: Int, roundBit: Int64
  ) {
    self.low = low
    self.high = high
    self.outLow = outLow
    self.outHigh = outHigh
    self.bottom = bottom
    self.top = top
    self.shift = Int64(shift)
    self.roundBit = roundBit
  }
}

/// Events counted by an epilogue.
private struct EpilogueCounts {
  var positive = 0
  var negative = 0
  var outPositive = 0
  var outNegative = 0
}
