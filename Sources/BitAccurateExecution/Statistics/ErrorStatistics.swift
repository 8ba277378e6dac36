import FixedPointArithmetic

/// A signal-to-quantization-noise ratio (FIXED_POINT.md §9):
/// 10·log10(Σ y_ref² / Σ (y_q − y_ref)²).
public enum SignalToNoise: Hashable, Sendable, CustomStringConvertible {
  /// A finite ratio in decibels.
  case decibels(Double)
  /// The noise is zero (and the signal is not): +∞.
  case infinite
  /// The signal is zero: undefined.
  case undefined

  /// The ratio from the two sums, with the +∞ / undefined rules of §9.
  public init(signal: Double, noise: Double) {
    if signal == 0 {
      self = .undefined
    } else if noise == 0 {
      self = .infinite
    } else {
      self = .decibels(10 * (signal / noise).log10)
    }
  }

  /// `41.23 dB`, `+inf`, `undefined`.
  public var description: String {
    switch self {
    case .decibels(let value): Self.fixed(value, digits: 2) + " dB"
    case .infinite: "+inf"
    case .undefined: "undefined"
    }
  }

  /// The value in decibels; +∞ for ``infinite``, NaN for ``undefined``.
  public var value: Double {
    switch self {
    case .decibels(let value): value
    case .infinite: .infinity
    case .undefined: .nan
    }
  }

  /// A number with a fixed count of decimals, without Foundation.
  static func fixed(_ value: Double, digits: Int) -> String {
    // Beyond 10^15 the fixed form is no longer exact; the shortest
    // round-trip form is printed instead (and no conversion can trap).
    guard value.isFinite, abs(value) < 1e15, digits <= 15 else {
      return "\(value)"
    }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded(.toNearestOrEven)
    let integer = Int(scaled / scale)
    let fraction = Int(scaled - Double(integer) * scale)
    var text = String(fraction)
    while text.count < digits { text = "0" + text }
    return (value < 0 && scaled != 0 ? "-" : "") + String(integer)
      + (digits > 0 ? "." + text : "")
  }
}

extension Double {
  /// log10 by the change of base from the exact binary exponent, without
  /// Foundation: log10(m · 2^e) = (log2 m + e) · log10 2.
  var log10: Double {
    guard self > 0, isFinite else { return self == 0 ? -.infinity : .nan }
    let e = Double(exponent)
    let m = significand  // in [1, 2)
    // log2(m) by a series on (m − 1)/(m + 1), converging fast on [1, 2).
    let t = (m - 1) / (m + 1)
    let t2 = t * t
    var term = t
    var sum = 0.0
    var k = 1.0
    for _ in 0..<30 {
      sum += term / k
      term *= t2
      k += 2
    }
    let ln2 = 0.693_147_180_559_945_3
    let log2m = 2 * sum / ln2
    return (log2m + e) * 0.301_029_995_663_981_2
  }
}

/// The error of quantized values against a float reference (§9).
public struct ErrorStatistics: Hashable, Sendable {
  /// Σ y_ref².
  public var signal: Double
  /// Σ (y_q − y_ref)².
  public var noise: Double
  /// Σ |y_q − y_ref|, the L1 objective of calibration (§8).
  public var l1: Double
  /// max |y_q − y_ref|.
  public var maxAbsError: Double
  /// mean (y_q − y_ref) in LSB units of the tensor's format (floor rounding
  /// shows as a negative bias).
  public var meanErrorLSB: Double
  /// The number of elements compared.
  public var count: Int

  /// The SQNR with the §9 rules.
  public var sqnr: SignalToNoise { SignalToNoise(signal: signal, noise: noise) }
  /// Σ (y_q − y_ref)², the L2 objective.
  public var l2: Double { noise }

  /// Compares quantized values with a reference.
  ///
  /// - Parameters:
  ///   - quantized: Dequantized values (exact).
  ///   - reference: The float reference, same count.
  ///   - resolution: 2^(−fl), one LSB (1 for float tensors).
  public init(quantized: [Double], reference: [Float], resolution: Double) {
    let count = min(quantized.count, reference.count)
    self = quantized.withUnsafeBufferPointer { q in
      reference.withUnsafeBufferPointer { r in
        ErrorStatistics(count: count, resolution: resolution) {
          q[$0]
        } reference: {
          Double(r[$0])
        }
      }
    }
  }

  /// Compares raws in a format with a reference without a copy of the
  /// dequantized values: each element is `Double(raw) · 2^(−fl)`, exactly
  /// what ``RawTensor/dequantized()`` holds, and the sums run in the same
  /// order, so the result equals
  /// `init(quantized: raw.dequantized(), reference:, resolution:)` bit for
  /// bit.
  public init(raws: [Int64], format: QFormat, reference: [Float]) {
    let scale = format.resolution
    let count = min(raws.count, reference.count)
    self = raws.withUnsafeBufferPointer { q in
      reference.withUnsafeBufferPointer { r in
        ErrorStatistics(count: count, resolution: scale) {
          Double(q[$0]) * scale
        } reference: {
          Double(r[$0])
        }
      }
    }
  }

  /// Compares Float32 values with a reference (a float island's output),
  /// as `init(quantized: values.map(Double.init), reference:, resolution: 1)`
  /// bit for bit, without the copy.
  public init(floats: [Float], reference: [Float]) {
    let count = min(floats.count, reference.count)
    self = floats.withUnsafeBufferPointer { q in
      reference.withUnsafeBufferPointer { r in
        ErrorStatistics(count: count, resolution: 1) {
          Double(q[$0])
        } reference: {
          Double(r[$0])
        }
      }
    }
  }

  /// Statistics from their sums (`sum`: Σ (y_q − y_ref)) over `count`
  /// elements.
  init(
    signal: Double, noise: Double, l1: Double, maxAbsError: Double,
    sum: Double, count: Int, resolution: Double
  ) {
    self.signal = signal
    self.noise = noise
    self.l1 = l1
    self.maxAbsError = maxAbsError
    self.meanErrorLSB = count > 0 ? sum / Double(count) / resolution : 0
    self.count = count
  }

  /// The sums over `count` elements, in index order.
  @inline(__always)
  init(
    count: Int, resolution: Double, quantized: (Int) -> Double,
    reference: (Int) -> Double
  ) {
    var signal = 0.0
    var noise = 0.0
    var l1 = 0.0
    var maxError = 0.0
    var sum = 0.0
    for index in 0..<count {
      let r = reference(index)
      let e = quantized(index) - r
      signal += r * r
      noise += e * e
      l1 += abs(e)
      maxError = max(maxError, abs(e))
      sum += e
    }
    self.signal = signal
    self.noise = noise
    self.l1 = l1
    self.maxAbsError = maxError
    self.meanErrorLSB = count > 0 ? sum / Double(count) / resolution : 0
    self.count = count
  }
}

/// A log2|x| histogram against a format's window (§9, hls4ml-style
/// profile): bin e counts values with 2^e ≤ |x| < 2^(e+1).
public struct Log2Histogram: Hashable, Sendable {
  /// One bin.
  public struct Bin: Hashable, Sendable {
    /// floor(log2|x|).
    public var exponent: Int
    /// How many values fall in it.
    public var count: Int
  }

  /// Exact zeros.
  public var zeros: Int
  /// Nonzero values by exponent, ascending.
  public var bins: [Bin]
  /// The low end of the format's window: the LSB exponent −fl.
  public var windowLow: Int
  /// The high end of the window: the top exponent IL − 2 (values below
  /// 2^(IL−1)).
  public var windowHigh: Int

  /// The histogram of raws in a format: floor(log2|r · 2^(−fl)|) =
  /// bitlength(|r|) − 1 − fl, exactly.
  public init(raws: [Int64], format: QFormat) {
    // Counted by bit length (0 = zero), 65 slots, then keyed by exponent.
    var lengths = [Int](repeating: 0, count: 65)
    lengths.withUnsafeMutableBufferPointer { slots in
      for raw in raws { slots[64 &- raw.magnitude.leadingZeroBitCount] &+= 1 }
    }
    self.init(lengths: lengths, format: format)
  }

  /// The histogram from counts by bit length of |raw| (slot 0: zeros, 65
  /// slots).
  init(lengths: [Int], format: QFormat) {
    self.zeros = lengths[0]
    self.bins = (1...64).compactMap { length in
      lengths[length] > 0
        ? Bin(
          exponent: length - 1 - format.fractionalLength, count: lengths[length]
        ) : nil
    }
    self.windowLow = -format.fractionalLength
    self.windowHigh = format.integerLength - 2
  }
}
