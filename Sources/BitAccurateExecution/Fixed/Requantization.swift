import FixedPointArithmetic

/// One node's §5 requantization with everything but the element hoisted:
/// exact integers at one fractional length to the output format, with the
/// layer's rounding, the output's overflow policy and, for `stochastic`,
/// each element's §7 sample (by its flat index in the whole tensor).
///
/// The common cases (a deterministic right shift of 1…63 bits with
/// `floor` or `halfUp`, saturating) run a branch-light loop; every other
/// case calls ``FixedPointArithmetic/FixedPoint/requantize(_:shift:to:rounding:overflow:sample:)``
/// per element. Both give the same integers and events.
struct Requantization: Sendable {
  var shift: Int
  var format: QFormat
  var rounding: RoundingMode
  var overflow: OverflowPolicy
  var stream: StochasticStream
  /// The flat index of element 0 (for §7 samples).
  var indexBase: Int
  /// ReLU on the input before a stochastic rounding (§5 ReLU).
  var rectify: Bool
  /// A ReLU or Clip on the output (a following Relu or Clip node fused into
  /// this one: applied to the saturated raws after the output's events are
  /// counted).
  var outputClamp = OutputClamp.unbounded

  init(
    from fractionalLength: Int, to format: QFormat, rounding: RoundingMode,
    overflow: OverflowPolicy, stream: StochasticStream, indexBase: Int = 0,
    rectify: Bool = false
  ) {
    let (difference, overflowed) =
      fractionalLength.subtractingReportingOverflow(
        format.fractionalLength)
    shift =
      overflowed
      ? (fractionalLength > format.fractionalLength ? .max : .min) : difference
    self.format = format
    self.rounding = rounding
    self.overflow = overflow
    self.stream = stream
    self.indexBase = indexBase
    self.rectify = rectify
  }

  /// The shift of the common case kernels may fuse into the loop that forms
  /// the integers: a right shift of 1…63 bits rounding `halfUp` (or else
  /// `floor`), saturating, without ReLU; `nil` otherwise.
  var fusedShift: (bits: Int, halfUp: Bool)? {
    guard !rectify, overflow == .saturate, shift >= 1, shift <= 63 else {
      return nil
    }
    switch rounding {
    case .halfUp: return (shift, true)
    case .floor: return (shift, false)
    default: return nil
    }
  }

  /// Requantizes `count` integers; `first` is the flat index of
  /// `source[0]` in the node's output.
  func apply(
    _ source: UnsafePointer<Int64>, into target: UnsafeMutablePointer<Int64>,
    count: Int,
    first: Int
  ) -> OverflowCounts {
    let s = shift
    if !rectify, overflow == .saturate, s >= 1, s <= 63 {
      switch rounding {
      case .halfUp:
        return Self.saturating(source, target, count, format, outputClamp) {
          n in
          // q + bit (s − 1) of n: r ≥ 2^(s−1) exactly when that bit is set.
          (n &>> s) &+ ((n &>> (s &- 1)) & 1)
        }
      case .floor:
        return Self.saturating(source, target, count, format, outputClamp) {
          n in n &>> s
        }
      default:
        break
      }
    }
    var counts = OverflowCounts()
    let stochastic = rounding == .stochastic
    let zero = StochasticSample(scaled: 0)
    let base = indexBase &+ first
    for index in 0..<count {
      let n = rectify ? max(source[index], 0) : source[index]
      let sample = stochastic ? stream.sample(at: base &+ index) : zero
      let (value, event) = FixedPoint.requantize(
        n, shift: s, to: format, rounding: rounding, overflow: overflow,
        sample: sample)
      target[index] = outputClamp.apply(value)
      counts.record(event)
    }
    return counts
  }

  @inline(__always)
  private static func saturating(
    _ source: UnsafePointer<Int64>, _ target: UnsafeMutablePointer<Int64>,
    _ count: Int,
    _ format: QFormat, _ clamp: OutputClamp, _ round: (Int64) -> Int64
  ) -> OverflowCounts {
    let low = format.rawMin
    let high = format.rawMax
    let (bottom, top) = clamp.bounds(in: format)
    var positive = 0
    var negative = 0
    for index in 0..<count {
      let z = round(source[index])
      positive &+= z > high ? 1 : 0
      negative &+= z < low ? 1 : 0
      let raised = z > high ? high : (z < bottom ? bottom : z)
      target[index] = raised > top ? top : raised
    }
    return OverflowCounts(positive: positive, negative: negative)
  }
}
