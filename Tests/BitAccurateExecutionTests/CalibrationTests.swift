import BitAccurateExecution
import FixedPointArithmetic
import Testing

/// Calibration (§8) is deterministic and follows its rules.
@Suite struct CalibrationTests {
  static func data(_ count: Int) throws -> FloatTensor {
    let (images, _) = try Fixtures.testSplit()
    let per = images.values.count / images.shape[0]
    return try FloatTensor(shape: [count, 1, 8, 8], values: Array(images.values.prefix(count * per)))
  }

  @Test(arguments: CalibrationMethod.allCases)
  func sameDataSamePlanWhateverTheCores(method: CalibrationMethod) throws {
    let network = try Fixtures.model("digits-dwsep")
    let data = try Self.data(24)
    let configuration = CalibrationConfiguration(method: method)
    let one = try Calibrator.calibrate(
      network: network, data: data, configuration: configuration, concurrency: 1)
    let two = try Calibrator.calibrate(
      network: network, data: data, configuration: configuration, concurrency: 2)
    #expect(one.plan.render() == two.plan.render())
    #expect(one.layers == two.layers)
  }

  @Test func ristrettoFollowsTheIntegerLengthRule() throws {
    let network = try Fixtures.model("digits-plain")
    let data = try Self.data(16)
    let result = try Calibrator.calibrate(
      network: network, data: data, configuration: CalibrationConfiguration(method: .ristretto))
    // Inputs are in [0, 1] with max exactly 1: IL = ceil(log2 1) = 0, fl = 8.
    #expect(result.input == (try QFormat(bits: 8, fractionalLength: 8)))
    for layer in result.layers {
      guard let weight = layer.weight, let initializer = network.nodes.first(where: { $0.name == layer.name })
        .flatMap({ network.initializer(named: $0.inputs[1]) })?.floatValues
      else { continue }
      let top = Double(initializer.map { abs($0) }.max() ?? 0)
      #expect(
        weight.fractionalLength
          == (try FixedPoint.ilRuleFractionalLength(maxMagnitude: top, bits: 8, role: .weights)))
    }
  }

  @Test func staticSharesOneFractionalLength() throws {
    let network = try Fixtures.model("digits-plain")
    let result = try Calibrator.calibrate(
      network: network, data: try Self.data(16), configuration: CalibrationConfiguration(method: .static))
    var fls: Set<Int> = [result.input.fractionalLength]
    for layer in result.layers {
      if let weight = layer.weight { fls.insert(weight.fractionalLength) }
      if let activation = layer.activation { fls.insert(activation.fractionalLength) }
    }
    #expect(fls.count == 1)
  }

  @Test func mixedWidthsReachThePlan() throws {
    let network = try Fixtures.model("digits-plain")
    let fc = try #require(network.nodes.first { $0.op.opType == "Gemm" })
    let result = try Calibrator.calibrate(
      network: network, data: try Self.data(16),
      configuration: CalibrationConfiguration(
        method: .qiu, layerBits: [fc.name: LayerBits(weight: 4)]))
    let row = try #require(result.layers.first { $0.name == fc.name })
    #expect(row.weight?.bits == 4)
    #expect(row.activation?.bits == 8)
    #expect(result.layers.filter { $0.name != fc.name }.allSatisfy { $0.weight?.bits ?? 8 == 8 })
    // The plan round-trips through the resolver.
    #expect(result.plan.problems(against: network).isEmpty)
  }
}
