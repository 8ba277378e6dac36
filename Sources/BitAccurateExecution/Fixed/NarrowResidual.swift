import FixedPointArithmetic

/// Add of two tensors of one shape aligned up (FIXED_POINT.md §5 Residual)
/// and requantized in the same pass, eight Int32 lanes at a time: the
/// integers and output events of aligning, summing in Int64 and then
/// applying ``Requantization``, for the common case where that is provably
/// the same computation in Int32.
///
/// It applies when the requantization is a right shift of 1…31 bits rounding
/// `halfUp` or `floor` with saturation (``Requantization/fusedShift``), the
/// output bounds lie within ±(2^30 − 1), and |a · 2^shiftA| + |b · 2^shiftB|
/// < 2^30 for every raw of the two input formats, so neither the alignment,
/// the sum nor the clamps (``Lanes/limit``) can leave Int32.
struct NarrowResidual {
  private let shiftA: Int32
  private let shiftB: Int32
  private let shift: Int32
  private let roundBit: Int32
  private let outLow: Int32
  private let outHigh: Int32
  /// The fused clamp's bounds (``OutputClamp/bounds(in:)``), with bottom
  /// lowered to top where it lies above it: then max(min(r, top), bottom) is
  /// the epilogue's min(max(min(r, high), bottom), top) since top ≤ high.
  private let bottom: Int32
  private let top: Int32

  /// `nil` unless the computation is exact in Int32 (see the type).
  init?(
    _ a: QFormat, shiftA: Int, _ b: QFormat, shiftB: Int,
    requantization: Requantization
  ) {
    guard let (bits, halfUp) = requantization.fusedShift, bits <= 31,
      (0...31).contains(shiftA), (0...31).contains(shiftB),
      let reachA = Self.reach(a, shiftA), let reachB = Self.reach(b, shiftB),
      reachA + reachB <= Lanes.limit
    else { return nil }
    let format = requantization.format
    let clamp = requantization.outputClamp.bounds(in: format)
    guard format.rawMin >= -Lanes.limit, format.rawMax <= Lanes.limit,
      let top = Int32(exactly: clamp.top),
      let floor = Int32(exactly: min(clamp.bottom, clamp.top))
    else {
      return nil
    }
    let (outLow, outHigh) = (Int32(format.rawMin), Int32(format.rawMax))
    self.shiftA = Int32(shiftA)
    self.shiftB = Int32(shiftB)
    shift = Int32(bits)
    roundBit = halfUp ? 1 : 0
    self.outLow = outLow
    self.outHigh = outHigh
    bottom = floor
    self.top = top
  }

  /// The largest |raw · 2^shift| of a format, if it fits Int32.
  private static func reach(_ format: QFormat, _ shift: Int) -> Int64? {
    let magnitude = max(format.rawMin.magnitude, format.rawMax.magnitude)
    guard magnitude <= UInt64(Int32.max) >> shift else { return nil }
    return Int64(magnitude << shift)
  }

  /// The requantized sums of `a` and `b` (one shape), held as `Int16` with
  /// `narrowOutput` (the caller has shown that the output format fits), else
  /// as `Int64`, and the output's events.
  func run(_ a: RawStorage, _ b: RawStorage, narrowOutput: Bool)
    -> (RawStorage, OverflowCounts)
  {
    switch (a, b) {
    case (.int16(let x), .int16(let y)): run(x, y, narrowOutput)
    case (.int16(let x), .int64(let y)): run(x, y, narrowOutput)
    case (.int64(let x), .int16(let y)): run(x, y, narrowOutput)
    case (.int64(let x), .int64(let y)): run(x, y, narrowOutput)
    }
  }

  private func run<A: RawLane, B: RawLane>(
    _ a: [A], _ b: [B], _ narrowOutput: Bool
  ) -> (RawStorage, OverflowCounts) {
    narrowOutput ? run(a, b, Int16.self) : run(a, b, Int64.self)
  }

  private func run<A: RawLane, B: RawLane, T: RawLane>(
    _ a: [A], _ b: [B], _: T.Type
  ) -> (RawStorage, OverflowCounts) {
    var counts = OverflowCounts()
    let count = min(a.count, b.count)
    let raws = [T].filled(count) { target in
      a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          guard let x = pa.baseAddress, let y = pb.baseAddress else { return }
          counts = run(x, y, into: target, count: count)
        }
      }
    }
    return (T.storage(raws), counts)
  }

  /// Writes `count` requantized sums of `a` and `b` to `output` and returns
  /// the output's events.
  func run<A: RawLane, B: RawLane, T: RawLane>(
    _ a: UnsafePointer<A>, _ b: UnsafePointer<B>,
    into output: UnsafeMutablePointer<T>, count: Int
  ) -> OverflowCounts {
    var start = 0
    var positive = 0
    var negative = 0
    #if !DEBUG
    let high = SIMD8<Int32>(repeating: outHigh)
    let low = SIMD8<Int32>(repeating: outLow)
    let floor = SIMD8<Int32>(repeating: bottom)
    let ceiling = SIMD8<Int32>(repeating: top)
    let round = SIMD8<Int32>(repeating: roundBit)
    let t = shift &- 1
    var above = SIMD8<Int32>()
    var below = SIMD8<Int32>()
    while start &+ 8 <= count {
      let z =
        (A.lanes(a + start) &<< shiftA) &+ (B.lanes(b + start) &<< shiftB)
      let r = (z &>> shift) &+ ((z &>> t) & round)
      above &-= Lanes.below(high, r)
      below &-= Lanes.below(r, low)
      T.store(Lanes.clamped(r, floor, ceiling), to: output + start)
      start &+= 8
    }
    positive = Int(above.wrappedSum())
    negative = Int(below.wrappedSum())
    #endif
    let (s, t64) = (Int64(shift), Int64(shift) &- 1)
    for index in start..<count {
      let z =
        (Int64(a[index]) &<< Int64(shiftA))
        &+ (Int64(b[index]) &<< Int64(shiftB))
      let r = (z &>> s) &+ ((z &>> t64) & Int64(roundBit))
      positive &+= r > Int64(outHigh) ? 1 : 0
      negative &+= r < Int64(outLow) ? 1 : 0
      // Within the output format, which `T` holds.
      output[index] = T(
        truncatingIfNeeded: max(min(r, Int64(top)), Int64(bottom)))
    }
    return OverflowCounts(positive: positive, negative: negative)
  }
}
