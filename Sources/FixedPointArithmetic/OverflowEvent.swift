/// Whether applying an overflow policy met a value outside the format, and on
/// which side.
///
/// FIXED_POINT.md §3 counts an event whenever the exact integer z was outside
/// [R_min, R_max], under `saturate` and `wrap` alike; §9 reports
/// requantization events split into + and −.
public enum OverflowEvent: UInt8, Hashable, Sendable {
  /// z was in range.
  case none
  /// z > R_max.
  case positive
  /// z < R_min.
  case negative

  /// Whether an event happened.
  @inlinable
  public var occurred: Bool { self != .none }
}

/// Running counts of overflow events, split by side.
///
/// Cheap enough to update once per element inside a kernel:
///
/// ```swift
/// var counts = OverflowCounts()
/// counts.record(FixedPoint.applyOverflow(144, to: f, policy: .saturate).event)
/// counts.total  // 1
/// ```
public struct OverflowCounts: Hashable, Sendable {
  /// Events with z > R_max.
  public var positive: Int
  /// Events with z < R_min.
  public var negative: Int

  /// Creates counts, zero by default.
  @inlinable
  public init(positive: Int = 0, negative: Int = 0) {
    self.positive = positive
    self.negative = negative
  }

  /// All events.
  @inlinable
  public var total: Int { positive &+ negative }

  /// Adds one event (nothing for ``OverflowEvent/none``).
  @inlinable
  public mutating func record(_ event: OverflowEvent) {
    switch event {
    case .none: break
    case .positive: positive &+= 1
    case .negative: negative &+= 1
    }
  }

  /// Adds another set of counts, as when merging per-thread counts.
  @inlinable
  public mutating func merge(_ other: OverflowCounts) {
    positive &+= other.positive
    negative &+= other.negative
  }
}
