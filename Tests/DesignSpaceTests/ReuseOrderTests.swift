import DesignSpace
import PrecisionModel
import Testing

/// The reuse order (issue #19 item 3) visits every selected point once,
/// with the axes of earlier layers varying more slowly.
@Suite struct ReuseOrderTests {
  /// Two per-layer axes listed against the layer order: "late" (layer
  /// position 5) before "early" (position 1), two devices, two batches.
  static let study = Study(
    models: ["m"], devices: ["d1", "d2"], batches: [1, 2], defaultBits: 8,
    precisionAxes: [
      PrecisionAxis(
        label: "late", layers: .named(["late"]),
        settings: (3...5).map {
          PrecisionSetting(bits: 8, fractionalLength: $0)
        }
      ),
      PrecisionAxis(
        label: "early", layers: .named(["early"]),
        settings: (2...3).map {
          PrecisionSetting(bits: 8, fractionalLength: $0)
        }
      ),
    ])

  static func position(_ study: Int, _ axis: Int) -> Int { axis == 0 ? 5 : 1 }

  static func fl(_ point: DesignPoint, _ axis: String) -> Int? {
    point.precision.first { $0.axis == axis }?.setting
      .activationFractionalLength
  }

  /// Compression axes (another network per setting) vary as slowly as
  /// the model, and every point is still visited once.
  @Test func compressionAxesVarySlowest() throws {
    var study = Self.study
    study.compressionAxes = [
      CompressionAxis(
        label: "all", layers: .all, key: .density,
        levels: [.value(1), .value(0.5), .value(0.25)])
    ]
    let plan = SweepPlan(name: "t", studies: [study])
    let order = Array(
      plan.reuseOrder(
        try plan.selectedIndices(in: .whole), layerPosition: Self.position))
    #expect(order.count == 3 * 2 * 2 * 3 * 2)
    #expect(order.sorted() == Array(0..<order.count))
    let densities = order.map {
      plan.point(at: $0).compression.first?.level
    }
    #expect(densities.prefix(24).allSatisfy { $0 == .value(1) })
    #expect(densities.suffix(24).allSatisfy { $0 == .value(0.25) })
  }

  @Test func gridIsAPermutationWithEarlyLayersSlowest() throws {
    let plan = SweepPlan(
      name: "t", studies: [Self.study, Study(models: ["c"], devices: ["e"])])
    let order = Array(
      plan.reuseOrder(
        try plan.selectedIndices(in: .whole), layerPosition: Self.position))
    #expect(order.count == 2 * 2 * 3 * 2 + 1)
    #expect(order.sorted() == Array(0..<order.count))
    #expect(order != order.sorted())
    let points = order.map { plan.point(at: $0) }
    // Within a batch, "early" changes once, "late" every two points
    // (the devices between), devices fastest.
    let firstBatch = points.prefix(12)
    #expect(
      firstBatch.map { Self.fl($0, "early") } == [
        2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3,
      ])
    #expect(
      firstBatch.map { Self.fl($0, "late") } == [
        3, 3, 4, 4, 5, 5, 3, 3, 4, 4, 5, 5,
      ])
    #expect(
      firstBatch.map(\.device)
        == Array(repeating: ["d1", "d2"], count: 6).flatMap { $0 })
    #expect(points.last?.model == "c")
  }

  @Test(arguments: [1, 2, 3])
  func shardsAndSamplesKeepTheirPoints(shards: Int) throws {
    for strategy in [SweepStrategy.grid, .random(count: 9, seed: 7)] {
      let plan = SweepPlan(name: "t", studies: [Self.study], strategy: strategy)
      var union: [Int] = []
      for k in 1...shards {
        let shard = try #require(Shard(parsing: "\(k)/\(shards)"))
        let indices = try plan.selectedIndices(in: shard)
        let order = Array(
          plan.reuseOrder(indices, layerPosition: Self.position))
        #expect(order.sorted() == Array(indices))
        union += order
      }
      #expect(union.sorted() == Array(try plan.selectedIndices(in: .whole)))
    }
  }
}
