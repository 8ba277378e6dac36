import FixedPointArithmetic
import Foundation
import TestSupport
import Testing

/// The integer-only functions of `Documentation/Quantization.md`: golden
/// vectors from the independent exact-integer reference
/// `Scripts/integer-approximation-reference.py` (bit for bit), and error
/// bounds against Double over dense grids (the largest errors that script
/// and these tests measure, rounded up).
@Suite("Integer-only non-linear functions (I-BERT)")
struct IntegerApproximationTests {
  typealias Kernel = (Int64, Int, QFormat) -> (
    value: Int64, event: OverflowEvent
  )

  static let inputs: [Int64] = [-40, -17, -9, -4, -1, 0, 1, 3, 8, 21, 77, 127]

  func format(_ bits: Int, _ fl: Int) throws -> QFormat {
    try QFormat(bits: bits, fractionalLength: fl)
  }

  func apply(_ kernel: Kernel, _ to: QFormat) -> [Int64] {
    Self.inputs.map { kernel($0, 4, to).value }
  }

  @Test("golden vectors: exp, sigmoid, tanh, SiLU, GELU, erf from (8, fl 4)")
  func goldenElementwise() throws {
    #expect(
      apply(IntegerApproximation.erf, try format(8, 7)) == [
        -128, -110, -74, -43, -20, 0, 20, 36, 68, 120, 127, 127,
      ])
    #expect(
      apply(IntegerApproximation.exp, try format(16, 8)) == [
        21, 88, 145, 200, 241, 256, 272, 308, 423, 953, 31538, 32767,
      ])
    #expect(
      apply(IntegerApproximation.sigmoid, try format(8, 7)) == [
        10, 33, 46, 56, 62, 64, 66, 70, 80, 101, 127, 127,
      ])
    #expect(
      apply(IntegerApproximation.tanh, try format(8, 7)) == [
        -126, -101, -65, -32, -8, 0, 8, 24, 59, 111, 127, 127,
      ])
    #expect(
      apply(IntegerApproximation.silu, try format(8, 4)) == [
        -3, -4, -3, -2, 0, 0, 1, 2, 5, 17, 76, 127,
      ])
    #expect(
      apply(IntegerApproximation.gelu, try format(8, 4)) == [
        0, -3, -2, -1, 0, 0, 1, 2, 6, 19, 77, 127,
      ])
  }

  @Test("golden vectors: softmax, square root, LayerNorm and RMS norm")
  func goldenRows() throws {
    let softmax = IntegerApproximation.softmax(
      [-40, -3, 0, 5, 17, 17], fractionalLength: 4, to: try format(8, 7))
    #expect(softmax.values == [1, 12, 14, 19, 41, 41])
    let roots: [Int64] = [
      0, 1, 2, 3, 4, 15, 16, 17, 99, 1 << 40, (1 << 62) - 1,
    ]
    #expect(
      roots.map(IntegerApproximation.squareRoot) == [
        0, 1, 1, 1, 2, 3, 4, 4, 9, 1_048_576, 2_147_483_647,
      ])
    let row: [Int64] = [-40, -3, 0, 5, 17, 22]
    let gamma: [Int64] = [64, 32, 64, 96, 64, 64]
    let beta: [Int64] = [0, 1 << 14, 0, -(1 << 15), 0, 7]
    let layer = IntegerApproximation.normalize(
      row, fractionalLength: 4, centre: true, epsilon: 1e-5, scale: gamma,
      scaleFractionalLength: 6, bias: beta, to: try format(8, 5))
    #expect(layer.values == [-64, -2, 0, 11, 27, 35])
    #expect(layer.events.total == 0)
    let rms = IntegerApproximation.normalize(
      row, fractionalLength: 4, centre: false, epsilon: 1e-5, scale: gamma,
      scaleFractionalLength: 6, bias: [], to: try format(8, 5))
    #expect(rms.values == [-64, -2, 0, 12, 27, 35])
  }

  /// The largest |kernel − reference| over x = i / 256 in [lo, hi], input
  /// (32, fl 12), output (32, fl 24).
  func largestError(
    _ kernel: Kernel, _ reference: (Double) -> Double, from lo: Double = -12,
    to hi: Double = 12, relative: Bool = false
  ) throws -> Double {
    let output = try format(32, 24)
    var largest = 0.0
    for i in Int(lo * 256)...Int(hi * 256) {
      let x = Double(i) / 256
      let y = Double(kernel(Int64(i * 16), 12, output).value) / 0x1p24
      let error = abs(y - reference(x))
      largest = max(largest, relative ? error / reference(x) : error)
    }
    return largest
  }

  @Test("error bounds against Double on [−12, 12]")
  func bounds() throws {
    #expect(
      try largestError(IntegerApproximation.exp, Foundation.exp, to: 0)
        <= 2.2e-3)
    #expect(
      try largestError(
        IntegerApproximation.exp, Foundation.exp, to: 3, relative: true)
        <= 7e-3)
    #expect(
      try largestError(IntegerApproximation.sigmoid) {
        1 / (1 + Foundation.exp(-$0))
      }
        <= 7.5e-4)
    #expect(
      try largestError(IntegerApproximation.tanh, Foundation.tanh) <= 1.5e-3)
    #expect(
      try largestError(IntegerApproximation.silu) {
        $0 / (1 + Foundation.exp(-$0))
      }
        <= 7e-4)
    // I-BERT reports L∞ 0.018 for i-GELU; we measure the same.
    #expect(
      try largestError(IntegerApproximation.gelu) {
        0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot()))
      } <= 1.9e-2)
    #expect(
      try largestError(IntegerApproximation.gelu) {
        0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot()))
      } >= 1e-2)
  }

  @Test("erf alone keeps the polynomial's jump at 0 (L(0+) = 0.096)")
  func erfBound() throws {
    let error = try largestError(IntegerApproximation.erf, Foundation.erf)
    #expect(error <= 0.097 && error >= 0.09)
  }

  @Test("the square root is floor(√n) around every power of two")
  func squareRoot() {
    for k in 0..<62 {
      for n in [Int64(1) << k - 1, Int64(1) << k, Int64(1) << k + 1]
      where n >= 0 {
        let root = IntegerApproximation.squareRoot(n)
        #expect(root * root <= n && (root + 1) * (root + 1) > n)
      }
    }
  }

  @Test("softmax and LayerNorm rows against Double")
  func rows() throws {
    var generator = SplitMix64(seed: 16)
    var softmaxError = 0.0
    var normError = 0.0
    let output = try format(16, 14)
    for _ in 0..<200 {
      let count = 2 + Int(generator.next() % 64)
      let row = (0..<count).map { _ in Int64(generator.next() % 4096) - 2048 }
      let x = row.map { Double($0) / 256 }  // fl 8, |x| ≤ 8
      let top = x.max() ?? 0
      let e = x.map { Foundation.exp($0 - top) }
      let sum = e.reduce(0, +)
      let softmax = IntegerApproximation.softmax(
        row, fractionalLength: 8, to: output)
      for (index, raw) in softmax.values.enumerated() {
        softmaxError = max(
          softmaxError, abs(Double(raw) / 0x1p14 - e[index] / sum))
      }
      let mean = x.reduce(0, +) / Double(count)
      let variance =
        x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        / Double(count)
      let norm = IntegerApproximation.normalize(
        row, fractionalLength: 8, centre: true, epsilon: 1e-5,
        scale: Array(repeating: 1 << 6, count: count),
        scaleFractionalLength: 6, bias: [], to: try format(16, 12))
      for (index, raw) in norm.values.enumerated() {
        let reference = (x[index] - mean) / (variance + 1e-5).squareRoot()
        normError = max(normError, abs(Double(raw) / 0x1p12 - reference))
      }
    }
    #expect(softmaxError <= 2.5e-3)
    #expect(normError <= 3e-4)
  }
}
