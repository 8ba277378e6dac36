import FixedPointArithmetic
import TestSupport
import Testing

/// Random formats, including fl < 0 and fl > B, every mode and policy,
/// compared with the oracle: quantize, requantize, pool, residual, multiply.
@Suite("Layer arithmetic against the exact oracle (§3–§5)")
struct ArithmeticOracleTests {
  /// A random storage format; symmetric only with saturate (§12.8).
  static func randomFormat(
    _ random: inout SplitMix64, policy: OverflowPolicy
  ) throws -> QFormat {
    let signed = Int.random(in: 0..<4, using: &random) != 0
    let bits = Int.random(in: (signed ? 2 : 1)...32, using: &random)
    let fl = Int.random(in: -32...64, using: &random)
    let symmetric = signed && policy == .saturate && Bool.random(using: &random)
    return try QFormat(
      bits: bits, fractionalLength: fl, signed: signed, symmetric: symmetric)
  }

  static let seeds: [UInt64] = [11, 12, 13, 14]

  @Test("requantize: random n, fl_in, F_y, mode and policy", arguments: seeds)
  func requantize(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    var failures: [String] = []
    for _ in 0..<3000 {
      let policy =
        OverflowPolicy.allCases.randomElement(using: &random) ?? .wrap
      let f = try Self.randomFormat(&random, policy: policy)
      let n = random.wideInt64()
      let s = Int.random(in: -90...125, using: &random)
      let flIn = f.fractionalLength + s
      for mode in RoundingMode.allCases {
        let u = random.sampleScaled()
        let got = FixedPoint.requantize(
          n, fromFractionalLength: flIn, to: f, rounding: mode,
          overflow: policy, sample: StochasticSample(scaled: u))
        let want = Oracle.requantize(Int128(n), shift: s, f, mode, policy, u: u)
        if got != want {
          failures.append(
            "seed=\(seed) n=\(n) s=\(s) \(f) \(mode) \(policy) U=\(u): \(got) ≠ \(want)"
          )
        }
      }
    }
    #expect(
      failures.isEmpty, "\(failures.count) failures: \(failures.prefix(5))")
  }

  @Test(
    "quantize: random Doubles and Floats, every mode and policy",
    arguments: seeds)
  func quantize(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    var failures: [String] = []
    for _ in 0..<3000 {
      let policy =
        OverflowPolicy.allCases.randomElement(using: &random) ?? .wrap
      let f = try Self.randomFormat(&random, policy: policy)
      // Exponents chosen so that e + fl stays within the oracle's reach,
      // while crossing the 2^62 domain limit and the format's range.
      let exponent = Int.random(
        in: (-60 - f.fractionalLength)...(70 - f.fractionalLength),
        using: &random)
      let significand = 1 + Double(random.next() >> 11) * 0x1p-53
      var x = Double(
        sign: Bool.random(using: &random) ? .minus : .plus,
        exponent: exponent, significand: significand)
      if Int.random(in: 0..<4, using: &random) == 0 { x = Double(Float(x)) }
      // Exact ties: a random integer / 2 at the format's grid.
      if Int.random(in: 0..<5, using: &random) == 0 {
        let raw = Double(Int.random(in: -600...600, using: &random)) + 0.5
        x =
          raw
          * Double(sign: .plus, exponent: -f.fractionalLength, significand: 1)
      }
      for mode in RoundingMode.allCases {
        let u = random.sampleScaled()
        let sample = StochasticSample(scaled: u)
        let want = Oracle.quantize(x, f, mode, policy, u: u)
        do {
          let got = try FixedPoint.quantize(
            x, to: f, rounding: mode, overflow: policy, sample: sample)
          if let want, got == want {
          } else {
            failures.append(
              "seed=\(seed) x=\(x) \(f) \(mode) \(policy) U=\(u): \(got) ≠ \(String(describing: want))"
            )
          }
        } catch {
          if want != nil || error != .outOfModelledDomain(value: x) {
            failures.append(
              "seed=\(seed) x=\(x) \(f) \(mode) \(policy): threw \(error)")
          }
        }
      }
    }
    #expect(
      failures.isEmpty, "\(failures.count) failures: \(failures.prefix(5))")
  }

  @Test("average pool: exact and reciprocal(k)", arguments: seeds)
  func averagePool(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    var failures: [String] = []
    for _ in 0..<2000 {
      let policy =
        OverflowPolicy.allCases.randomElement(using: &random) ?? .wrap
      let f = try Self.randomFormat(&random, policy: policy)
      let sum = random.wideInt64()
      let count = Int(random.positiveInt64(maxLength: 12))
      let delta = Int.random(in: -60...60, using: &random)
      let flX = f.fractionalLength - delta
      let k = Int.random(in: 0...40, using: &random)
      for mode in RoundingMode.allCases {
        let u = random.sampleScaled()
        let sample = StochasticSample(scaled: u)
        let exact = try FixedPoint.averagePool(
          sum: sum, count: count, fractionalLength: flX, to: f,
          rounding: mode, overflow: policy, sample: sample)
        let n = Int128(sum) << max(0, delta)
        let d = Int128(count) << max(0, -delta)
        let want = Oracle.overflow(Oracle.round(n, d, mode, u: u), f, policy)
        if exact != want {
          failures.append(
            "seed=\(seed) S=\(sum) N=\(count) δ=\(delta) \(f) \(mode) \(policy) U=\(u): \(exact) ≠ \(want)"
          )
        }
        let viaReciprocal = try FixedPoint.averagePool(
          sum: sum, count: count, fractionalLength: flX, to: f,
          rounding: mode, overflow: policy, division: .reciprocal(shift: k),
          sample: sample)
        let r = Oracle.round(Int128(1) << k, Int128(count), .halfEven, u: 0)
        let wantR = Oracle.requantize(
          Int128(sum) * r, shift: k - delta, f, mode, policy, u: u)
        if viaReciprocal != wantR {
          failures.append(
            "reciprocal(\(k)) seed=\(seed) S=\(sum) N=\(count) δ=\(delta) \(f) \(mode) \(policy): \(viaReciprocal) ≠ \(wantR)"
          )
        }
      }
    }
    #expect(
      failures.isEmpty, "\(failures.count) failures: \(failures.prefix(5))")
  }

  @Test("residual add and element-wise multiply", arguments: seeds)
  func residualAndMultiply(seed: UInt64) throws {
    var random = SplitMix64(seed: seed)
    var failures: [String] = []
    for _ in 0..<2000 {
      let policy =
        OverflowPolicy.allCases.randomElement(using: &random) ?? .wrap
      let f = try Self.randomFormat(&random, policy: policy)
      let a = random.wideInt64()
      let b = random.wideInt64()
      let flA = Int.random(in: -32...64, using: &random)
      let flB = flA + Int.random(in: -63...63, using: &random)
      let flC = max(flA, flB)
      if flC - f.fractionalLength > 125 { continue }  // beyond the oracle
      let exactSum = (Int128(a) << (flC - flA)) + (Int128(b) << (flC - flB))
      for mode in RoundingMode.allCases {
        let u = random.sampleScaled()
        let sample = StochasticSample(scaled: u)
        let got = try FixedPoint.addResidual(
          a, fractionalLength: flA, b, fractionalLength: flB, to: f,
          rounding: mode, overflow: policy, sample: sample)
        let want = Oracle.requantize(
          exactSum, shift: flC - f.fractionalLength, f, mode, policy, u: u)
        if got.value != want.0 || got.event != want.1 {
          failures.append(
            "add seed=\(seed) a=\(a)@\(flA) b=\(b)@\(flB) \(f) \(mode) \(policy) U=\(u): \(got) ≠ \(want)"
          )
        }
        let two = try FixedPoint.addResidual(
          a, fractionalLength: flA, b, fractionalLength: flB, to: f,
          rounding: mode, overflow: policy, alignment: .alignToOutput,
          sample: sample)
        let x = Oracle.requantize(
          Int128(a), shift: flA - f.fractionalLength, f, mode, policy, u: u)
        let y = Oracle.requantize(
          Int128(b), shift: flB - f.fractionalLength, f, mode, policy, u: u)
        let z = Oracle.overflow(Int128(x.0) + Int128(y.0), f, policy)
        if two
          != ResidualSum(
            value: z.0, event: z.1, firstInputEvent: x.1, secondInputEvent: y.1)
        {
          failures.append(
            "alignToOutput seed=\(seed) a=\(a)@\(flA) b=\(b)@\(flB) \(f) \(mode) \(policy): \(two)"
          )
        }
        let product = FixedPoint.multiplyElementwise(
          a, fractionalLength: flA, b, fractionalLength: flB, to: f,
          rounding: mode, overflow: policy, sample: sample)
        let s = flA + flB - f.fractionalLength
        if s <= 125 {
          let wantP = Oracle.requantize(
            Int128(a) * Int128(b), shift: s, f, mode, policy, u: u)
          if product != wantP {
            failures.append(
              "multiply seed=\(seed) a=\(a)@\(flA) b=\(b)@\(flB) \(f) \(mode) \(policy): \(product) ≠ \(wantP)"
            )
          }
        }
      }
    }
    #expect(
      failures.isEmpty, "\(failures.count) failures: \(failures.prefix(5))")
  }

  @Test("overflow: every z in [−2^13, 2^13] into every small format and policy")
  func exhaustiveOverflow() throws {
    var failures: [String] = []
    for bits in 1...12 {
      for (signed, symmetric) in [(true, false), (true, true), (false, false)] {
        if signed && bits < 2 { continue }
        let f = try QFormat(
          bits: bits, fractionalLength: 0, signed: signed, symmetric: symmetric)
        for policy in OverflowPolicy.allCases
        where !(symmetric && policy == .wrap) {
          for z in -(1 << 13)...(1 << 13) {
            let got = FixedPoint.applyOverflow(Int64(z), to: f, policy: policy)
            let want = Oracle.overflow(Int128(z), f, policy)
            if got != want {
              failures.append("z=\(z) \(f) \(policy): \(got) ≠ \(want)")
            }
          }
        }
      }
    }
    #expect(
      failures.isEmpty, "\(failures.count) failures: \(failures.prefix(5))")
  }
}
