import FixedPointArithmetic

/// A slow model of FIXED_POINT.md that is plainly correct: rationals as
/// Int128 pairs, floor division by adjusting truncation, 2r compared with d
/// directly, wrap by the §3 formula with a true modulus.
enum Oracle {
  /// floor(n/d) and r = n − q·d for d > 0.
  static func floorDivide(_ n: Int128, _ d: Int128) -> (Int128, Int128) {
    var q = n / d
    if q * d > n { q -= 1 }
    return (q, n - q * d)
  }

  /// §2 decided from q, r, d; `up` for stochastic given by the caller.
  static func decide(
    n: Int128, q: Int128, r: Int128, d: Int128, mode: RoundingMode,
    stochasticUp: () -> Bool
  ) -> Int128 {
    switch mode {
    case .floor: return q
    case .towardZero: return (n >= 0 || r == 0) ? q : q + 1
    case .halfUp: return 2 * r >= d ? q + 1 : q
    case .halfAwayFromZero:
      if n >= 0 { return 2 * r >= d ? q + 1 : q }
      return 2 * r > d ? q + 1 : q
    case .halfEven:
      if 2 * r > d { return q + 1 }
      if 2 * r == d && q % 2 != 0 { return q + 1 }
      return q
    case .stochastic: return stochasticUp() ? q + 1 : q
    }
  }

  /// round(n/d), d > 0 and d < 2^73 (so r · 2^53 fits).
  static func round(
    _ n: Int128, _ d: Int128, _ mode: RoundingMode, u: UInt64
  ) -> Int128 {
    let (q, r) = floorDivide(n, d)
    return decide(n: n, q: q, r: r, d: d, mode: mode) {
      r * (Int128(1) << 53) > d * Int128(u)
    }
  }

  /// round(n/d) for small operands (|n|, d < 2^40) in Int64: the fast
  /// oracle of the exhaustive tests, same reading of §2 as ``round(_:_:_:u:)``.
  static func roundSmall(
    _ n: Int64, _ d: Int64, _ mode: RoundingMode, u: UInt64
  ) -> Int64 {
    var q = n / d
    if q * d > n { q -= 1 }
    let r = n - q * d
    switch mode {
    case .floor: return q
    case .towardZero: return (n >= 0 || r == 0) ? q : q + 1
    case .halfUp: return 2 * r >= d ? q + 1 : q
    case .halfAwayFromZero:
      if n >= 0 { return 2 * r >= d ? q + 1 : q }
      return 2 * r > d ? q + 1 : q
    case .halfEven:
      if 2 * r > d { return q + 1 }
      if 2 * r == d && q % 2 != 0 { return q + 1 }
      return q
    case .stochastic:
      return Int128(r) << 53 > Int128(d) * Int128(u) ? q + 1 : q
    }
  }

  /// round(n / 2^s) for 0 ≤ s ≤ 125.
  static func roundShift(
    _ n: Int128, _ s: Int, _ mode: RoundingMode, u: UInt64
  ) -> Int128 {
    let d = Int128(1) << s
    let (q, r) = floorDivide(n, d)
    return decide(n: n, q: q, r: r, d: d, mode: mode) {
      // r/2^s > U/2^53
      s >= 53 ? r > Int128(u) << (s - 53) : r << (53 - s) > Int128(u)
    }
  }

  /// R_min and R_max from §1.
  static func range(
    bits: Int, signed: Bool, symmetric: Bool
  ) -> (Int128, Int128) {
    if !signed { return (0, (Int128(1) << bits) - 1) }
    let half = Int128(1) << (bits - 1)
    return (symmetric ? -(half - 1) : -half, half - 1)
  }

  /// True modulus (result in [0, m)).
  static func mod(_ a: Int128, _ m: Int128) -> Int128 {
    let r = a % m
    return r < 0 ? r + m : r
  }

  /// §3 on an exact integer.
  static func overflow(
    _ z: Int128, _ f: QFormat, _ policy: OverflowPolicy
  ) -> (Int64, OverflowEvent) {
    let (lo, hi) = range(bits: f.bits, signed: f.isSigned, symmetric: false)
    let (rmin, rmax) = (Int128(f.rawMin), Int128(f.rawMax))
    let event: OverflowEvent =
      z > rmax ? .positive : (z < rmin ? .negative : .none)
    if event == .none { return (Int64(z), .none) }
    switch policy {
    case .saturate: return (Int64(event == .positive ? rmax : rmin), event)
    case .wrap:
      _ = hi
      return (Int64(mod(z - lo, Int128(1) << f.bits) + lo), event)
    }
  }

  /// §5 requantize of an exact Int128 n by shift s (−200…125).
  static func requantize(
    _ n: Int128, shift s: Int, _ f: QFormat, _ mode: RoundingMode,
    _ policy: OverflowPolicy, u: UInt64
  ) -> (Int64, OverflowEvent) {
    if s >= 0 { return overflow(roundShift(n, s, mode, u: u), f, policy) }
    let k = -s
    let length = 128 - n.magnitude.leadingZeroBitCount
    if n == 0 || length + k <= 126 { return overflow(n << k, f, policy) }
    // Too wide for Int128: certainly outside; wrap keeps the low B bits.
    let event: OverflowEvent = n > 0 ? .positive : .negative
    switch policy {
    case .saturate: return (n > 0 ? f.rawMax : f.rawMin, event)
    case .wrap:
      let m = Int128(1) << f.bits
      let low = k >= f.bits ? 0 : mod(mod(n, m) << k, m)
      let lo = f.isSigned ? -(Int128(1) << (f.bits - 1)) : 0
      return (Int64(mod(low - lo, m) + lo), event)
    }
  }

  /// §4 from the Double's integer significand and exponent (via the public
  /// `significand`/`exponent` API), for e + fl ≥ −125.
  static func quantize(
    _ x: Double, _ f: QFormat, _ mode: RoundingMode, _ policy: OverflowPolicy,
    u: UInt64
  ) -> (Int64, OverflowEvent)? {
    if x.isInfinite {
      return x > 0 ? (f.rawMax, .positive) : (f.rawMin, .negative)
    }
    if x == 0 { return (0, .none) }
    // |x| = significand · 2^exponent, significand in [1, 2) with 52 bits.
    let m = Int128(x.significand * 0x1p52) * (x < 0 ? -1 : 1)
    let e = Int(x.exponent) - 52 + f.fractionalLength  // y = m · 2^e
    if e >= 0 {
      // |m| ≥ 2^52, so e > 10 already means |y| ≥ 2^62.
      if e > 10 || (m << e).magnitude >= UInt128(1) << 62 {
        guard policy == .saturate else { return nil }
        return m > 0 ? (f.rawMax, .positive) : (f.rawMin, .negative)
      }
      return overflow(m << e, f, policy)
    }
    return overflow(roundShift(m, -e, mode, u: u), f, policy)
  }
}
