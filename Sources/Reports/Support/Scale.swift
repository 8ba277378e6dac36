import Foundation

/// Maps a data interval onto a pixel interval, linearly or by logarithm.
struct Scale {
  /// The data interval (positive for a log scale).
  let domain: ClosedRange<Double>
  /// The pixel interval (`lower` may exceed `upper`, for y axes).
  let lower: Double
  let upper: Double
  /// Whether the scale is logarithmic (base 10).
  let isLog: Bool

  init(domain: ClosedRange<Double>, range: (Double, Double), log: Bool = false)
  {
    var d = domain
    if log {
      let lo = max(d.lowerBound, 1e-300)
      d = lo...max(d.upperBound, lo)
    }
    if d.lowerBound == d.upperBound {
      d =
        log
        ? d.lowerBound / 10...d.upperBound * 10
        : d.lowerBound - 1...d.upperBound + 1
    }
    self.domain = d
    lower = range.0
    upper = range.1
    isLog = log
  }

  /// The pixel of a value (clamped to the domain for log scales' zeros).
  func callAsFunction(_ value: Double) -> Double {
    let t: Double
    if isLog {
      let v = max(value, domain.lowerBound)
      t =
        (log10(v) - log10(domain.lowerBound))
        / (log10(domain.upperBound) - log10(domain.lowerBound))
    } else {
      t = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
    }
    return lower + t * (upper - lower)
  }

  /// Tick values: powers of ten for a log scale (with 2 and 5 times them
  /// when the domain spans few decades, 1-2-5 steps when it spans less
  /// than 20×), 1-2-5 steps for a linear one (about `count` of them).
  func ticks(count: Int = 6) -> [Double] {
    if isLog && domain.upperBound / domain.lowerBound < 20 {
      // Too narrow for powers of ten: 1-2-5 steps, as on a linear axis.
      return Scale(domain: domain, range: (lower, upper)).ticks(count: count)
        .filter { $0 > 0 }
    }
    if isLog {
      let first = Int(floor(log10(domain.lowerBound) + 1e-9))
      let last = Int(ceil(log10(domain.upperBound) - 1e-9))
      let step = max(1, (last - first + count - 1) / max(count, 1))
      let inside = { (v: Double) in
        v >= self.domain.lowerBound * (1 - 1e-9)
          && v <= self.domain.upperBound * (1 + 1e-9)
      }
      let decades = stride(from: first, through: last, by: step).map {
        pow(10, Double($0))
      }
      if decades.filter(inside).count >= 3 { return decades.filter(inside) }
      return decades.flatMap { [$0, 2 * $0, 5 * $0] }.filter(inside)
    }
    let span = domain.upperBound - domain.lowerBound
    let raw = span / Double(max(count, 1))
    let magnitude = pow(10, floor(log10(raw)))
    let step =
      [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10
      * magnitude
    var value = ceil(domain.lowerBound / step - 1e-9) * step
    var result: [Double] = []
    while value <= domain.upperBound + step * 1e-9 {
      result.append(abs(value) < step * 1e-9 ? 0 : value)
      value += step
    }
    return result
  }

  /// A domain that covers `values` with a margin: a decade-aligned one
  /// for log scales, a rounded one for linear scales.
  static func covering(_ values: [Double], log: Bool, includeZero: Bool = false)
    -> ClosedRange<Double>
  {
    let finite = values.filter { $0.isFinite && (!log || $0 > 0) }
    guard var lo = finite.min(), let hi = finite.max() else {
      return log ? 1...10 : 0...1
    }
    if log {
      // A margin keeps points off the frame: a quarter of the value, or a
      // tenth of the span when it is narrow (then the ticks are linear).
      if hi / lo < 3 {
        let pad = max((hi - lo) * 0.1, hi * 0.02)
        return max(lo - pad, lo / 2)...(hi + pad)
      }
      return lo / 1.25...hi * 1.25
    }
    if includeZero { lo = min(lo, 0) }
    if lo == hi { return lo - 1...hi + 1 }
    let pad = (hi - lo) * 0.05
    return (includeZero && lo == 0 ? 0 : lo - pad)...(hi + pad)
  }
}
