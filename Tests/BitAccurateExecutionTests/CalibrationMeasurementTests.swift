import BitAccurateExecution
import FixedPointArithmetic
import NetworkGraph
import PrecisionModel
import Testing

/// Qiu's data phase measures the final plan as it steps the batch (issue
/// #19): the §9 statistics are those of measuring the plan afterwards,
/// slice by slice, bit for bit, and the separate measurement runs only
/// when a later choice revises an earlier layer (a Concat's producers).
@Suite struct CalibrationMeasurementTests {
  /// Counts the calls of a measurement closure (called on one thread).
  final class Calls: @unchecked Sendable {
    var count = 0
  }

  /// The plan's statistics measured afterwards: each slice run on its own
  /// (the weights and biases measured on the first) and merged in order,
  /// as `quantize` does; one whole-batch run for a single slice.
  static func measured(
    _ executor: FixedPointExecutor, data: FloatTensor, labels: [Int]?,
    slices: [Range<Int>], network: Network
  ) throws(ExecutionError) -> NetworkStatistics {
    guard slices.count > 1 else {
      return try executor.runWithStatistics(input: data, labels: labels)
        .statistics
    }
    let parts = try executor.statistics(
      slices: slices, of: data, labels: labels, constants: true)
    var merged = parts[0]
    for part in parts.dropFirst() {
      merged = merged.merging(part, network: network)
    }
    return merged
  }

  static func ranges(_ sizes: [Int]) -> [Range<Int>] {
    var start = 0
    return sizes.map { size in
      defer { start += size }
      return start..<(start + size)
    }
  }

  @Test(arguments: [
    [16], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 4, 5, 4],
  ])
  func theDataPhaseMeasuresWhatARunAfterwardsMeasures(sizes: [Int]) throws {
    let network = try Fixtures.model("digits-dwsep")
    let data = try CalibrationTests.data(16)
    let labels = Array(try Fixtures.testSplit().labels.prefix(16))
    let slices = Self.ranges(sizes)
    let configuration = CalibrationConfiguration(method: .qiu)
    let calls = Calls()
    let folded = try Calibrator.measuring(
      network: network, data: data, labels: labels,
      configuration: configuration, concurrency: 2, slices: slices,
      measure: { executor throws(ExecutionError) in
        calls.count += 1
        return try Self.measured(
          executor, data: data, labels: labels, slices: slices,
          network: network)
      })
    let separate = try Calibrator.measuring(
      network: network, data: data, labels: labels,
      configuration: configuration, concurrency: 2,
      measure: { executor throws(ExecutionError) in
        try Self.measured(
          executor, data: data, labels: labels, slices: slices,
          network: network)
      })
    #expect(calls.count == 0)
    #expect(folded.statistics == separate.statistics)
    #expect(folded.result == separate.result)
    #expect(folded.statistics.samples == 16)
    #expect(folded.statistics.layers.count == network.nodes.count)
  }

  /// A Concat's producers take its format after their own layers were
  /// decided: the data phase's statistics of them are stale, so the plan
  /// is measured afterwards, and the figures are the same.
  @Test func aRevisedProducerIsMeasuredAfterwards() throws {
    var net = Network(
      name: "cat", inputs: [GraphInput(name: "x", shape: [4, 1, 8, 8])])
    try net.addInitializer(
      Tensor(
        name: "w1", shape: TensorShape([2, 1, 3, 3]),
        values: (0..<18).map { Float($0 % 5) * 0.03 - 0.05 }))
    try net.addInitializer(
      Tensor(
        name: "w2", shape: TensorShape([3, 1, 1, 1]), values: [4, -3, 2.5]))
    net.nodes = [
      Node(
        name: "a", op: .conv(ConvAttributes(pads: [1, 1, 1, 1])),
        inputs: ["x", "w1"], outputs: ["ya"]),
      Node(name: "ra", op: .relu, inputs: ["ya"], outputs: ["za"]),
      Node(
        name: "b", op: .conv(ConvAttributes()), inputs: ["x", "w2"],
        outputs: ["yb"]),
      Node(
        name: "cat", op: .concat(axis: 1), inputs: ["za", "yb"], outputs: ["z"]),
    ]
    net.outputs = ["z"]
    let network = net
    let data = try CalibrationTests.data(4)
    let slices = Self.ranges([1, 1, 2])
    let configuration = CalibrationConfiguration(method: .qiu)
    // What `a` chooses alone differs from the Concat's format.
    let alone = try Calibrator.calibrate(
      network: {
        var copy = network
        copy.nodes = Array(copy.nodes.prefix(2))
        copy.outputs = ["za"]
        return copy
      }(), data: data, configuration: configuration)
    let calls = Calls()
    let folded = try Calibrator.measuring(
      network: network, data: data, configuration: configuration,
      concurrency: 2, slices: slices,
      measure: { executor throws(ExecutionError) in
        calls.count += 1
        return try Self.measured(
          executor, data: data, labels: nil, slices: slices, network: network)
      })
    let separate = try Calibrator.measuring(
      network: network, data: data, configuration: configuration,
      concurrency: 2,
      measure: { executor throws(ExecutionError) in
        try Self.measured(
          executor, data: data, labels: nil, slices: slices, network: network)
      })
    let a = folded.result.layers.first { $0.name == "a" }?.activation
    #expect(a == folded.result.layers.first { $0.name == "cat" }?.activation)
    #expect(a != alone.layers.first { $0.name == "a" }?.activation)
    #expect(calls.count == 1)
    #expect(folded.statistics == separate.statistics)
    #expect(folded.result == separate.result)
  }
}
