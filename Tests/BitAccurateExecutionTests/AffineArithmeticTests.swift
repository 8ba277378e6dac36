import BitAccurateExecution
import Testing

/// The affine operations of `Documentation/Quantization.md` A2 on values
/// where the rule decides the result: ties, saturation, float32 order.
@Suite struct AffineArithmeticTests {
  @Test func quantizeRoundsHalfToEvenAndSaturates() {
    let u8: ClosedRange<Int64> = 0...255
    #expect(
      AffineArithmetic.quantize(2.5, scale: 1, zeroPoint: 0, range: u8) == 2)
    #expect(
      AffineArithmetic.quantize(3.5, scale: 1, zeroPoint: 0, range: u8) == 4)
    #expect(
      AffineArithmetic.quantize(-2.5, scale: 1, zeroPoint: 0, range: -128...127)
        == -2)
    #expect(
      AffineArithmetic.quantize(1e9, scale: 1, zeroPoint: 3, range: u8) == 255)
    #expect(
      AffineArithmetic.quantize(-.infinity, scale: 1, zeroPoint: 3, range: u8)
        == 0)
    #expect(
      AffineArithmetic.quantize(-1, scale: 0.5, zeroPoint: 10, range: u8) == 8)
  }

  @Test func requantizeUsesFloat32Products() {
    // 3 · 0.5 = 1.5 → 2 (even); 5 · 0.5 = 2.5 → 2.
    #expect(
      AffineArithmetic.requantize(
        3, multiplier: 0.5, zeroPoint: 0, range: 0...255)
        == 2)
    #expect(
      AffineArithmetic.requantize(
        5, multiplier: 0.5, zeroPoint: 0, range: 0...255)
        == 2)
    // 2^24 + 1 is not a float32: it rounds to 2^24 before the product.
    #expect(
      AffineArithmetic.requantize(
        (1 << 24) + 1, multiplier: 1, zeroPoint: 0, range: 0...Int64(Int32.max))
        == 1 << 24)
    #expect(
      AffineArithmetic.requantize(
        -1000, multiplier: 1, zeroPoint: -128, range: -128...127)
        == -128)
  }

  @Test func multiplierIsTwoFloat32Operations() {
    // (s_x · s_w) / s_y in float32: here it differs from s_x · (s_w / s_y)
    // and from the exact quotient rounded once (both 1.9733078479766846).
    let m = AffineArithmetic.multiplier(
      inputScale: 0.6887582540512085, weightScale: 0.38953250646591187,
      outputScale: 0.1359614133834839)
    #expect(m == 1.9733079671859741)
    #expect(
      AffineArithmetic.dequantize(130, scale: 0.25, zeroPoint: 128) == 0.5)
  }
}
