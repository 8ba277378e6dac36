import FixedPointArithmetic

/// The weight phase's objective (FIXED_POINT.md §8) for several candidate
/// formats of one float tensor at once: each value quantized `halfEven`
/// with the storage policy, dequantized, against the value.
///
/// With `saturate` (the default storage policy) every candidate's sum is
/// formed in one pass over the values, several sums in flight, each sum
/// still in element order: the sums the scalar path
/// (``scalarError(_:format:objective:overflow:)``, one throwing
/// ``FixedPointArithmetic/FixedPoint/quantize(_:to:rounding:overflow:sample:)``
/// per value into an array, then summed) gives, bit for bit. Why the fast
/// path is exact: a Float widened to Double times 2^fl (fl in −32…64) is
/// exact (no overflow, no subnormal), so `rounded(.toNearestOrEven)` is §2's
/// `halfEven` of the exact product; clamping to [R_min, R_max] (|R| ≤ 2^31,
/// exact Doubles) is §3's `saturate`; r · 2^(−fl) is `dequantize`. A
/// quantized zero may come out as −0, which changes no difference. A NaN
/// value makes the scalar path give +∞ (quantize throws); here it makes the
/// sum NaN (±∞ values give ±∞ errors, never NaN), which is mapped to +∞.
///
/// `wrap` takes the scalar path.
enum QuantizationErrors {
  /// Each format's objective over `values`, in the formats' order (`nil`
  /// format: +∞), the formats split between `concurrency` cores.
  static func errors(
    _ values: [Float], formats: [QFormat?], objective: CalibrationObjective,
    overflow: OverflowPolicy, concurrency: Int = 1
  ) -> [Double] {
    guard overflow == .saturate else {
      return formats.map {
        $0.map {
          scalarError(
            values, format: $0, objective: objective, overflow: overflow)
        } ?? .infinity
      }
    }
    let valid = formats.compactMap { $0 }
    // Small tensors stay on one core: a thread costs more than the pass.
    let cores = values.count < 1 << 15 ? 1 : max(1, concurrency)
    let parts = Parallel.slices(valid.count, concurrency: cores) {
      range -> [Double] in
      var sums: [Double] = []
      var start = range.lowerBound
      while start < range.upperBound {
        let group = Array(valid[start..<min(range.upperBound, start + 4)])
        sums += saturatingSums(values, formats: group, objective: objective)
        start += group.count
      }
      return sums
    }
    var found = parts.flatMap { $0 }.makeIterator()
    return formats.map { format in
      guard format != nil, let sum = found.next() else { return .infinity }
      return sum.isNaN ? .infinity : sum
    }
  }

  /// The objective of up to four formats under `saturate`, one pass over
  /// the values, each sum in its own register (a missing fourth repeats
  /// the last and is not kept).
  static func saturatingSums(
    _ values: [Float], formats: [QFormat], objective: CalibrationObjective
  ) -> [Double] {
    let k = formats.count
    guard k > 0 else { return [] }
    let f0 = formats[0]
    let f1 = formats[min(1, k - 1)]
    let f2 = formats[min(2, k - 1)]
    let f3 = formats[min(3, k - 1)]
    let r0 = Rounder(f0)
    let r1 = Rounder(f1)
    let r2 = Rounder(f2)
    let r3 = Rounder(f3)
    var a0 = 0.0
    var a1 = 0.0
    var a2 = 0.0
    var a3 = 0.0
    values.withUnsafeBufferPointer { source in
      switch objective {
      case .l1:
        for v in source {
          let x = Double(v)
          a0 += abs(r0(x) - x)
          a1 += abs(r1(x) - x)
          a2 += abs(r2(x) - x)
          a3 += abs(r3(x) - x)
        }
      case .l2:
        for v in source {
          let x = Double(v)
          let e0 = r0(x) - x
          let e1 = r1(x) - x
          let e2 = r2(x) - x
          let e3 = r3(x) - x
          a0 += e0 * e0
          a1 += e1 * e1
          a2 += e2 * e2
          a3 += e3 * e3
        }
      }
    }
    return Array([a0, a1, a2, a3].prefix(k))
  }

  /// A format's `halfEven`, saturating quantize-then-dequantize of a
  /// widened Float, in Double arithmetic (exact, see the type's note).
  struct Rounder {
    let scale: Double
    let inverse: Double
    let low: Double
    let high: Double

    init(_ format: QFormat) {
      scale = Double(
        sign: .plus, exponent: format.fractionalLength, significand: 1)
      inverse = FixedPoint.dequantize(1, from: format)
      low = Double(format.rawMin)
      high = Double(format.rawMax)
    }

    @inline(__always)
    func callAsFunction(_ x: Double) -> Double {
      let r = (x * scale).rounded(.toNearestOrEven)
      return (r > high ? high : (r < low ? low : r)) * inverse
    }
  }

  /// The objective of one format by the scalar path: each value through
  /// the throwing `FixedPoint.quantize` into an array of exact values, then
  /// summed in element order; +∞ when a value cannot be quantized (NaN, or
  /// outside the modelled domain with `wrap`).
  static func scalarError(
    _ values: [Float], format: QFormat, objective: CalibrationObjective,
    overflow: OverflowPolicy
  ) -> Double {
    var exact: [Double] = []
    exact.reserveCapacity(values.count)
    for value in values {
      guard
        let raw = try? FixedPoint.quantize(
          value, to: format, rounding: .halfEven, overflow: overflow)
      else { return .infinity }
      exact.append(FixedPoint.dequantize(raw.value, from: format))
    }
    return CalibrationSession.error(exact, values, objective: objective)
  }
}
