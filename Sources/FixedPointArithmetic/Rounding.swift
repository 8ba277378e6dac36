/// Exact rounding of rationals n/d and of power-of-two quotients n / 2^s.
///
/// FIXED_POINT.md §2. With q = floor(n/d) (true floor: Swift's `/` truncates
/// toward zero, so ``FixedPoint/floorDivide(_:by:)`` corrects it) and
/// r = n − q·d, 0 ≤ r < d:
///
/// | Mode               | Result                                        |
/// |--------------------|-----------------------------------------------|
/// | `floor`            | q                                             |
/// | `towardZero`       | q if n ≥ 0 or r = 0, else q + 1               |
/// | `halfUp`           | q + 1 if 2r ≥ d, else q                       |
/// | `halfAwayFromZero` | n ≥ 0: q + 1 if 2r ≥ d; n < 0: q + 1 if 2r > d |
/// | `halfEven`         | q + 1 if 2r > d, or 2r = d and q odd          |
/// | `stochastic`       | q + 1 if r · 2^53 > d · U (U = u · 2^53, §7)  |
///
/// 2r is compared with d as r against d − r, so nothing overflows even for
/// d near 2^63; the stochastic comparison uses double-width products.
extension FixedPoint {
  /// Floor division: q = floor(n/d) and r = n − q·d with 0 ≤ r < d.
  ///
  /// ```swift
  /// try FixedPoint.floorDivide(-7, by: 2)  // (quotient: -4, remainder: 1)
  /// ```
  ///
  /// - Throws: ``FixedPointError/nonPositiveDivisor(_:)`` when d ≤ 0.
  /// - Complexity: O(1).
  @inlinable
  public static func floorDivide(
    _ n: Int64, by d: Int64
  ) throws(FixedPointError) -> (quotient: Int64, remainder: Int64) {
    guard d > 0 else { throw .nonPositiveDivisor(d) }
    return _floorDivide(n, d)
  }

  /// round(n/d) per §2 for any Int64 n and d > 0; never overflows.
  ///
  /// Worked (§5 average pool): 15/4 = 3.75 → `halfEven` and `halfUp` 4,
  /// `floor` 3.
  ///
  /// - Parameters:
  ///   - n: The numerator.
  ///   - d: The divisor, d > 0.
  ///   - rounding: The rule, case by case in the table above.
  ///   - sample: u for `stochastic`; ignored by the other modes.
  /// - Returns: The rounded quotient, which always fits in Int64.
  /// - Throws: ``FixedPointError/nonPositiveDivisor(_:)`` when d ≤ 0.
  @inlinable
  public static func roundedQuotient(
    _ n: Int64, dividedBy d: Int64, rounding: RoundingMode,
    sample: StochasticSample = .zero
  ) throws(FixedPointError) -> Int64 {
    guard d > 0 else { throw .nonPositiveDivisor(d) }
    return _roundedQuotient(n, d, rounding, sample)
  }

  /// round(n / 2^s) per §2, the datapath's power-of-two case.
  ///
  /// For s ≥ 1: q = n >> s (arithmetic), r = n & (2^s − 1), half = 2^(s−1);
  /// `halfUp` is (n + half) >> s computed without overflow. Every s ≥ 1 is
  /// exact, including s ≥ 64 (the quotient is then 0 or −1, decided from the
  /// sign and, for `stochastic`, an exact comparison).
  ///
  /// For s ≤ 0 nothing is rounded: the result is n · 2^(−s) exactly when it
  /// fits in Int64, and `Int64.max` / `Int64.min` (by the sign of n) when it
  /// does not. Requantization handles large left shifts itself (§5 Shift
  /// bounds); see ``FixedPoint/requantize(_:shift:to:rounding:overflow:sample:)``.
  ///
  /// Worked (§2): −38 by s = 2 (−9.5) → `halfEven` −10, `halfUp` −9,
  /// `halfAwayFromZero` −10, `floor` −10, `towardZero` −9.
  ///
  /// - Complexity: O(1).
  @inlinable
  public static func roundedShiftRight(
    _ n: Int64, by s: Int, rounding: RoundingMode,
    sample: StochasticSample = .zero
  ) -> Int64 {
    if s > 0 { return _roundedShiftRight(n, s, rounding, sample) }
    if s == 0 || n == 0 { return n }
    if s > -64 {
      let k = -s
      let shifted = n << k
      if shifted >> k == n { return shifted }
    }
    return n > 0 ? .max : .min
  }

  // MARK: Implementation, generic over Int64 and Int128

  /// Floor division for d > 0 (never overflows: only `min / -1` can).
  @inlinable
  static func _floorDivide<T: FixedWidthInteger & SignedInteger>(
    _ n: T, _ d: T
  ) -> (quotient: T, remainder: T) {
    var q = n / d
    var r = n % d
    if r < 0 {
      // r < 0 needs d ≥ 2, so |q| ≤ |T.min| / 2 and q − 1 cannot overflow.
      q -= 1
      r += d
    }
    return (q, r)
  }

  /// Whether q becomes q + 1 (§2).
  ///
  /// r = 0 never rounds, so d = 1 never increments and callers' q + 1 cannot
  /// overflow.
  @inlinable
  static func _roundsUp<M: FixedWidthInteger & UnsignedInteger>(
    _ mode: RoundingMode, negative: Bool, quotientIsOdd: Bool,
    remainder r: M, divisor d: M, sample: StochasticSample
  ) -> Bool {
    if r == 0 { return false }
    let rest = d - r  // 2r vs d, compared as r vs d − r
    switch mode {
    case .floor: return false
    case .towardZero: return negative
    case .halfUp: return r >= rest
    case .halfAwayFromZero: return negative ? r > rest : r >= rest
    case .halfEven: return r > rest || (r == rest && quotientIsOdd)
    case .stochastic:
      // r/d > u  ⇔  r · 2^53 > d · U, exactly, in double width.
      let lhs = r.multipliedFullWidth(by: M(1) << 53)
      let rhs = d.multipliedFullWidth(by: M(sample.scaled))
      return lhs.high > rhs.high || (lhs.high == rhs.high && lhs.low > rhs.low)
    }
  }

  /// `_roundsUp` for 64-bit operands, written without generics so that the
  /// per-element path is fast in unoptimised (debug) builds too; identical in
  /// meaning to the generic version, which the 128-bit paths use.
  @inlinable
  static func _roundsUp(
    _ mode: RoundingMode, negative: Bool, quotientIsOdd: Bool,
    remainder r: UInt64, divisor d: UInt64, sample: StochasticSample
  ) -> Bool {
    if r == 0 { return false }
    let rest = d &- r
    switch mode {
    case .floor: return false
    case .towardZero: return negative
    case .halfUp: return r >= rest
    case .halfAwayFromZero: return negative ? r > rest : r >= rest
    case .halfEven: return r > rest || (r == rest && quotientIsOdd)
    case .stochastic:
      let lhs = r.multipliedFullWidth(by: 1 << 53)
      let rhs = d.multipliedFullWidth(by: sample.scaled)
      return lhs.high > rhs.high || (lhs.high == rhs.high && lhs.low > rhs.low)
    }
  }

  /// round(n / 2^s) for Int64 and s ≥ 1, without generics (see above).
  @inlinable
  static func _roundedShiftRight(
    _ n: Int64, _ s: Int, _ mode: RoundingMode, _ sample: StochasticSample
  ) -> Int64 {
    guard s < 64 else { return _roundedHugeShift(n, s, mode, sample) }
    let q = n &>> s
    let d = UInt64(1) &<< s
    let r = UInt64(bitPattern: n) & (d &- 1)
    let up = _roundsUp(
      mode, negative: n < 0, quotientIsOdd: q & 1 != 0,
      remainder: r, divisor: d, sample: sample)
    return up ? q &+ 1 : q
  }

  /// round(n/d) for d > 0.
  @inlinable
  static func _roundedQuotient<T: FixedWidthInteger & SignedInteger>(
    _ n: T, _ d: T, _ mode: RoundingMode, _ sample: StochasticSample
  ) -> T where T.Magnitude: FixedWidthInteger & UnsignedInteger {
    let (q, r) = _floorDivide(n, d)
    let up = _roundsUp(
      mode, negative: n < 0, quotientIsOdd: q & 1 != 0,
      remainder: r.magnitude, divisor: d.magnitude, sample: sample)
    return up ? q + 1 : q
  }

  /// round(n / 2^s) for s ≥ 1.
  @inlinable
  static func _roundedShiftRight<T: FixedWidthInteger & SignedInteger>(
    _ n: T, _ s: Int, _ mode: RoundingMode, _ sample: StochasticSample
  ) -> T where T.Magnitude: FixedWidthInteger & UnsignedInteger {
    guard s < T.bitWidth else {
      return _roundedHugeShift(n, s, mode, sample)
    }
    let q = n >> s
    let d = T.Magnitude(1) << s
    let r = T.Magnitude(truncatingIfNeeded: n) & (d &- 1)
    let up = _roundsUp(
      mode, negative: n < 0, quotientIsOdd: q & 1 != 0,
      remainder: r, divisor: d, sample: sample)
    return up ? q + 1 : q
  }

  /// round(n / 2^s) for s ≥ T.bitWidth, where 2^s does not fit.
  ///
  /// |n| ≤ 2^(w−1) ≤ 2^(s−1), so |t| ≤ 1/2 and q is 0 (n ≥ 0) or −1 (n < 0),
  /// with r = n or 2^s − |n|. The only tie is n = T.min with s = w.
  @usableFromInline
  static func _roundedHugeShift<T: FixedWidthInteger & SignedInteger>(
    _ n: T, _ s: Int, _ mode: RoundingMode, _ sample: StochasticSample
  ) -> T where T.Magnitude: FixedWidthInteger & UnsignedInteger {
    if n == 0 { return 0 }
    let w = T.bitWidth
    // Beyond w + 64 every comparison below is already decided.
    let s = min(s, w + 64)
    let magnitude = n.magnitude
    let k = s - 53  // ≥ 11
    if n > 0 {
      // 0 < t < 1/2: every deterministic mode gives 0.
      guard mode == .stochastic else { return 0 }
      // Up iff n · 2^53 > 2^s · U  ⇔  n > U · 2^k.
      let u = sample.scaled
      if u == 0 { return 1 }
      let length = 64 - u.leadingZeroBitCount
      if length + k >= w { return 0 }  // U · 2^k ≥ 2^(w−1) > n
      return magnitude > (T.Magnitude(u) << k) ? 1 : 0
    }
    switch mode {
    case .floor: return -1
    case .towardZero, .halfUp, .halfEven: return 0
    case .halfAwayFromZero: return s == w && n == T.min ? -1 : 0
    case .stochastic:
      // Up iff (2^s − |n|) · 2^53 > 2^s · U  ⇔  (2^53 − U) · 2^k > |n|.
      let v = (UInt64(1) << 53) - sample.scaled  // in [1, 2^53]
      let length = 64 - v.leadingZeroBitCount
      if length + k > w { return 0 }  // V · 2^k ≥ 2^w > |n|
      return (T.Magnitude(v) << k) > magnitude ? 0 : -1
    }
  }

  /// a − b, clamped to `Int.min`/`Int.max` instead of overflowing; used for
  /// shift amounts, whose far ends all behave alike.
  @inlinable
  static func _clampedDifference(_ a: Int, _ b: Int) -> Int {
    let (difference, overflow) = a.subtractingReportingOverflow(b)
    if overflow { return a > b ? .max : .min }
    return difference
  }
}
