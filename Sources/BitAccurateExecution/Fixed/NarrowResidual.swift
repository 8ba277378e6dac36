import FixedPointArithmetic

/// Add of two tensors of one shape aligned up (FIXED_POINT.md §5 Residual)
/// and requantized in the same pass, eight Int32 lanes at a time: the
/// integers and output events of aligning, summing in Int64 and then
/// applying ``Requantization``, for the common case where that is provably
/// the same computation in Int32.
///
/// It applies when the requantization is a right shift of 1…31 bits rounding
/// `halfUp` or `floor` with saturation (``Requantization/fusedShift``), the
/// output bounds fit Int32, and |a · 2^shiftA| + |b · 2^shiftB| < 2^31 for
/// every raw of the two input formats, so neither the alignment nor the sum
/// can leave Int32.
struct NarrowResidual {
  private let shiftA: Int32
  private let shiftB: Int32
  private let shift: Int32
  private let roundBit: Int32
  private let outLow: Int32
  private let outHigh: Int32
  private let bottom: Int32

  /// `nil` unless the computation is exact in Int32 (see the type).
  init?(
    _ a: QFormat, shiftA: Int, _ b: QFormat, shiftB: Int,
    requantization: Requantization
  ) {
    guard let (bits, halfUp) = requantization.fusedShift, bits <= 31,
      (0...31).contains(shiftA), (0...31).contains(shiftB),
      let reachA = Self.reach(a, shiftA), let reachB = Self.reach(b, shiftB),
      reachA + reachB <= Int64(Int32.max)
    else { return nil }
    let format = requantization.format
    let floor =
      requantization.rectifyOutput ? max(format.rawMin, 0) : format.rawMin
    guard let outLow = Int32(exactly: format.rawMin),
      let outHigh = Int32(exactly: format.rawMax),
      let bottom = Int32(exactly: floor)
    else { return nil }
    self.shiftA = Int32(shiftA)
    self.shiftB = Int32(shiftB)
    shift = Int32(bits)
    roundBit = halfUp ? 1 : 0
    self.outLow = outLow
    self.outHigh = outHigh
    self.bottom = bottom
  }

  /// The largest |raw · 2^shift| of a format, if it stays below 2^31.
  private static func reach(_ format: QFormat, _ shift: Int) -> Int64? {
    let magnitude = max(format.rawMin.magnitude, format.rawMax.magnitude)
    guard magnitude <= UInt64(Int32.max) >> shift else { return nil }
    return Int64(magnitude << shift)
  }

  /// Writes `count` requantized sums of `a` and `b` to `output` and returns
  /// the output's events.
  func run(
    _ a: UnsafePointer<Int64>, _ b: UnsafePointer<Int64>,
    into output: UnsafeMutablePointer<Int64>, count: Int
  ) -> OverflowCounts {
    var start = 0
    var positive = 0
    var negative = 0
    #if !DEBUG
    let high = SIMD8<Int32>(repeating: outHigh)
    let low = SIMD8<Int32>(repeating: outLow)
    let floor = SIMD8<Int32>(repeating: bottom)
    let round = SIMD8<Int32>(repeating: roundBit)
    let t = shift &- 1
    var above = SIMD8<Int32>()
    var below = SIMD8<Int32>()
    while start &+ 8 <= count {
      let z =
        (Self.narrow(a + start) &<< shiftA)
        &+ (Self.narrow(b + start) &<< shiftB)
      let r = (z &>> shift) &+ ((z &>> t) & round)
      above &+= SIMD8<Int32>().replacing(with: 1, where: r .> high)
      below &+= SIMD8<Int32>().replacing(with: 1, where: r .< low)
      Self.widen(
        pointwiseMax(pointwiseMin(r, high), floor), into: output + start)
      start &+= 8
    }
    positive = Int(above.wrappedSum())
    negative = Int(below.wrappedSum())
    #endif
    let (s, t64) = (Int64(shift), Int64(shift) &- 1)
    for index in start..<count {
      let z = (a[index] &<< Int64(shiftA)) &+ (b[index] &<< Int64(shiftB))
      let r = (z &>> s) &+ ((z &>> t64) & Int64(roundBit))
      positive &+= r > Int64(outHigh) ? 1 : 0
      negative &+= r < Int64(outLow) ? 1 : 0
      output[index] = max(min(r, Int64(outHigh)), Int64(bottom))
    }
    return OverflowCounts(positive: positive, negative: negative)
  }

  /// Eight raws known to fit Int32, lane by lane (see
  /// ``IntegerKernels/load(_:)`` on the generic conversions).
  @inline(__always)
  private static func narrow(_ pointer: UnsafePointer<Int64>) -> SIMD8<Int32> {
    let v = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Int64>.self)
    return SIMD8(
      Int32(truncatingIfNeeded: v[0]), Int32(truncatingIfNeeded: v[1]),
      Int32(truncatingIfNeeded: v[2]), Int32(truncatingIfNeeded: v[3]),
      Int32(truncatingIfNeeded: v[4]), Int32(truncatingIfNeeded: v[5]),
      Int32(truncatingIfNeeded: v[6]), Int32(truncatingIfNeeded: v[7]))
  }

  @inline(__always)
  private static func widen(
    _ v: SIMD8<Int32>, into pointer: UnsafeMutablePointer<Int64>
  ) {
    let wide = SIMD8<Int64>(
      Int64(v[0]), Int64(v[1]), Int64(v[2]), Int64(v[3]), Int64(v[4]),
      Int64(v[5]), Int64(v[6]), Int64(v[7]))
    UnsafeMutableRawPointer(pointer).storeBytes(of: wide, as: SIMD8<Int64>.self)
  }
}
