extension Int {
  /// The integer part of a `Double` that came from a user's figures, clamped
  /// to `Int`'s range instead of trapping: `NaN` gives 0, values at or
  /// beyond ±2^63 give `Int.max` or `Int.min`.
  ///
  /// Every conversion of a user-derived `Double` to `Int` goes through this
  /// (or `Int(exactly:)`), so no description can trap the process; where a
  /// clamped figure would be printed, the caller refuses it instead (the
  /// simulator refuses runs of 2^63 cycles or more).
  public init(saturating value: Double) {
    if value.isNaN {
      self = 0
    } else if value >= 0x1p63 {
      self = .max
    } else if value <= -0x1p63 {
      self = .min
    } else {
      self = Int(value)
    }
  }
}
