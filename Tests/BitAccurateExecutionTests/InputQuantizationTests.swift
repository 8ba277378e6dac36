import BitAccurateExecution
import FixedPointArithmetic
import NetworkGraph
import PrecisionModel
import TestSupport
import Testing

/// The executor quantizes its input (and `halfEven` weights) by a Double
/// fast path; it must give exactly the raws, events and underflows of the
/// scalar §4 function on every kind of value: ties, negative ties, values
/// far out of range, ±infinity, −0, subnormal floats and values that round
/// to 0.
@Suite struct InputQuantizationTests {
  /// Floats that hit every branch of the §4 quantizer in `format`.
  static func hostile(_ format: QFormat, _ rng: inout SplitMix64)
    -> [Float]
  {
    let resolution = Float(format.resolution)
    var values: [Float] = [
      0, -0, .infinity, -.infinity, .leastNonzeroMagnitude,
      -.leastNonzeroMagnitude, .greatestFiniteMagnitude,
      -.greatestFiniteMagnitude, 1e30, -1e30,
    ]
    for raw in [format.rawMin, format.rawMin + 1, -1, 0, 1, format.rawMax] {
      let centre = Float(raw) * resolution
      // Exact ties either side, and just off them.
      values += [
        centre + resolution / 2, centre - resolution / 2,
        (centre + resolution / 2).nextUp, (centre + resolution / 2).nextDown,
        centre + resolution / 4,
      ]
    }
    for _ in 0..<200 {
      let scale = Float(
        sign: .plus, exponent: Int.random(in: -30...20, using: &rng),
        significand: 1)
      values.append(Float.random(in: -1...1, using: &rng) * scale)
    }
    return values
  }

  @Test(arguments: 0..<40)
  func inputRawsEqualTheScalarQuantizer(index: Int) throws {
    var rng = SplitMix64(seed: 5000 + UInt64(index))
    let bits = Int.random(in: 2...16, using: &rng)
    let signed = index % 4 != 3
    let format = try QFormat(
      bits: bits,
      fractionalLength: Int.random(in: -6...(bits + 6), using: &rng),
      signed: signed)
    let values = Self.hostile(format, &rng)
    var network = Network(
      name: "q", inputs: [GraphInput(name: "x", shape: [values.count])])
    network.nodes = [
      Node(name: "relu", op: .relu, inputs: ["x"], outputs: ["y"])
    ]
    network.outputs = ["y"]
    let plan = PrecisionPlan(
      input: FormatSpec(
        bits: format.bits, fractionalLength: format.fractionalLength,
        signed: signed),
      defaults: LayerPrecision())
    let run = try FixedPointExecutor(network: network, plan: plan)
      .run(
        input: try FloatTensor(shape: [values.count], values: values),
        keepWide: true)

    var expected: [Int64] = []
    var events = OverflowCounts()
    for value in values {
      let (raw, event) = try FixedPoint.quantize(
        value, to: format, rounding: .halfEven, overflow: .saturate)
      expected.append(raw)
      events.record(event)
    }
    #expect(run.inputs["x"]?.raws == expected, "format \(format)")
    #expect(run.inputEvents == events, "format \(format)")
  }
}
