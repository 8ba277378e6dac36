/// A bandwidth as a description writes it: per second, per cycle of the
/// compute clock, or unlimited.
///
/// A level keeps its rates in the unit they were written in, so a figure
/// per cycle still follows the clock when the clock changes later (a sweep's
/// `clock` axis); ``MemoryLevel/readBandwidth`` and
/// ``MemoryLevel/writeBandwidth`` hold the resolved bytes per second, which
/// ``Device/resolveRates()`` recomputes.
public enum Rate: Hashable, Sendable {
  /// Bytes per second.
  case perSecond(Double)
  /// Bytes per cycle of the compute clock.
  case perCycle(Double)
  /// No limit (SCALE-Sim's CALC mode).
  case unlimited

  /// The rate in bytes per second at a clock.
  public func bytesPerSecond(clock: Double) -> Double {
    switch self {
    case .perSecond(let rate): rate
    case .perCycle(let rate): rate * clock
    case .unlimited: .infinity
    }
  }
}

/// A latency as written: in seconds or in cycles of the compute clock.
public enum Delay: Hashable, Sendable {
  /// Seconds.
  case seconds(Double)
  /// Cycles of the compute clock.
  case cycles(Double)

  /// The delay in seconds at a clock.
  public func seconds(clock: Double) -> Double {
    switch self {
    case .seconds(let seconds): seconds
    case .cycles(let cycles): clock > 0 ? cycles / clock : 0
    }
  }
}

extension Device {
  /// Recomputes every level's bandwidths (times its bandwidth efficiency)
  /// and latency from the figures as written, at the current clock.
  ///
  /// Levels built with figures in bytes per second and seconds only (no
  /// declared ``MemoryLevel/declaredRead``) are left as they are.
  public mutating func resolveRates() {
    for index in memory.indices {
      memory[index].resolve(clock: clock)
    }
  }
}

extension MemoryLevel {
  /// Sets the resolved figures from the declared ones at a clock.
  public mutating func resolve(clock: Double) {
    let scale = bandwidthEfficiency?.value ?? 1
    if let declaredRead {
      readBandwidth = declaredRead.bytesPerSecond(clock: clock) * scale
    }
    if let declaredWrite {
      writeBandwidth = declaredWrite.bytesPerSecond(clock: clock) * scale
    }
    if let declaredLatency {
      latency = declaredLatency.seconds(clock: clock)
    }
  }
}
