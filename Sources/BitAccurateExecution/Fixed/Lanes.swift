/// The lane operations of the vector kernels, each written with concrete
/// operations only: lane reads, scalar conversions, shifts, sums and
/// bitwise operators, which always inline.
///
/// The standard library's generic conversions (`SIMD8(truncatingIfNeeded:)`)
/// and `pointwiseMin`/`pointwiseMax` are specialized but, once a module
/// uses them in more than one place, not always inlined; called per vector
/// they cost more than the arithmetic around them. Every helper here gives
/// the same integers as the scalar expression it stands for.
enum Lanes {
  /// Eight Int16 raws at `pointer`, sign-extended to Int32 lanes.
  @inline(__always)
  static func widened(_ pointer: UnsafePointer<Int16>) -> SIMD8<Int32> {
    let v = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Int16>.self)
    return SIMD8(
      Int32(v[0]), Int32(v[1]), Int32(v[2]), Int32(v[3]), Int32(v[4]),
      Int32(v[5]), Int32(v[6]), Int32(v[7]))
  }

  /// Eight Int64 raws at `pointer` that the caller knows fit Int32.
  @inline(__always)
  static func narrowed(_ pointer: UnsafePointer<Int64>) -> SIMD8<Int32> {
    let v = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Int64>.self)
    return SIMD8(
      Int32(truncatingIfNeeded: v[0]), Int32(truncatingIfNeeded: v[1]),
      Int32(truncatingIfNeeded: v[2]), Int32(truncatingIfNeeded: v[3]),
      Int32(truncatingIfNeeded: v[4]), Int32(truncatingIfNeeded: v[5]),
      Int32(truncatingIfNeeded: v[6]), Int32(truncatingIfNeeded: v[7]))
  }

  /// Stores eight lanes sign-extended to Int64 at `pointer`.
  @inline(__always)
  static func storeWidened(
    _ v: SIMD8<Int32>, to pointer: UnsafeMutablePointer<Int64>
  ) {
    let wide = SIMD8<Int64>(
      Int64(v[0]), Int64(v[1]), Int64(v[2]), Int64(v[3]), Int64(v[4]),
      Int64(v[5]), Int64(v[6]), Int64(v[7]))
    UnsafeMutableRawPointer(pointer).storeBytes(of: wide, as: SIMD8<Int64>.self)
  }

  /// Stores eight lanes, each known to fit Int16, as Int16 at `pointer`.
  @inline(__always)
  static func storeNarrowed(
    _ v: SIMD8<Int32>, to pointer: UnsafeMutablePointer<Int16>
  ) {
    let narrow = SIMD8<Int16>(
      Int16(truncatingIfNeeded: v[0]), Int16(truncatingIfNeeded: v[1]),
      Int16(truncatingIfNeeded: v[2]), Int16(truncatingIfNeeded: v[3]),
      Int16(truncatingIfNeeded: v[4]), Int16(truncatingIfNeeded: v[5]),
      Int16(truncatingIfNeeded: v[6]), Int16(truncatingIfNeeded: v[7]))
    UnsafeMutableRawPointer(pointer).storeBytes(
      of: narrow, as: SIMD8<Int16>.self)
  }

  /// The magnitude below which ``below(_:_:)`` and ``clamped(_:_:_:)``
  /// hold: for operands within ±limit, no difference leaves Int32.
  static let limit: Int64 = (1 << 30) - 1

  /// −1 in the lanes where `a < b`, 0 elsewhere (the sign of `a − b`), for
  /// lanes within ±``limit``.
  @inline(__always)
  static func below(_ a: SIMD8<Int32>, _ b: SIMD8<Int32>) -> SIMD8<Int32> {
    (a &- b) &>> 31
  }

  /// `max(min(v, high), low)` lane by lane, for lanes within ±``limit``
  /// (shifts, masks and sums only: comparison masks and the generic
  /// `pointwiseMin` fare worse).
  @inline(__always)
  static func clamped(
    _ v: SIMD8<Int32>, _ low: SIMD8<Int32>, _ high: SIMD8<Int32>
  ) -> SIMD8<Int32> {
    let over = v &- high
    let capped = high &+ (over & (over &>> 31))
    let under = capped &- low
    return capped &- (under & (under &>> 31))
  }

  /// The sums of adjacent lane products, a0·b0 + a1·b1, …: exact for
  /// operands that came from Int16 (`pmaddwd` on x86).
  @inline(__always)
  static func pairSums(_ a: SIMD8<Int32>, _ b: SIMD8<Int32>) -> SIMD4<Int32> {
    let p = a &* b
    return SIMD4(p[0], p[2], p[4], p[6]) &+ SIMD4(p[1], p[3], p[5], p[7])
  }
}
