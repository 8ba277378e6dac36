import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// A dense kernel's time per output element (`output_cost`) through the
/// front door: `simulate` charges it per output, `calibrate` fits it.
@Suite struct OutputCostCommandTests {
  typealias Helpers = RuntimeCalibrationCommandTests

  /// The pixel3-cpu file with a runtime of `lines` (two-space indented).
  static func cpu(_ lines: [String]) throws -> String {
    try Helpers.pixel3CPU(
      runtime: (["runtime:"] + lines.map { "  " + $0 }).joined(
        separator: "\n"))
  }

  /// The compute time `simulate` prints in a layer's mapping, µs.
  static func compute(_ mapping: String?) throws -> Double {
    let text = try #require(mapping)
    let start = try #require(text.range(of: "compute ")).upperBound
    let end = try #require(text[start...].range(of: " us")).lowerBound
    return try #require(Double(text[start..<end]))
  }

  /// 16 outputs at 1 µs each on one core (the layer is below
  /// `parallel_grain`) add 16 µs to the layer's arithmetic.
  @Test func simulateChargesEveryOutputElement() async throws {
    let folder = try TemporaryFolder()
    let network = folder.path("fc.yaml")
    try """
    name: fc
    input: {name: input, shape: [1, 64]}
    layers:
      - {name: fc, op: fc, units: 16}
    """.write(toFile: network, atomically: true, encoding: .utf8)
    var times: [Double] = []
    for extra in [[], ["output_cost: {value: 1 us, fitted_to: \"test\"}"]] {
      let device = folder.path("cpu.yaml")
      try Self.cpu(
        [
          "dispatch: {value: 5 us, fitted_to: \"test\"}",
          "dense: {value: 0.3, fitted_to: \"test\"}",
          "parallel_grain: {value: 1000000, fitted_to: \"test\"}",
        ] + extra
      ).write(toFile: device, atomically: true, encoding: .utf8)
      let mappings = try await Helpers.mappings(
        device: device, network: network)
      times.append(try Self.compute(mappings["fc"]))
    }
    #expect(abs(times[1] - times[0] - 16) < 0.15, "\(times)")
  }

  /// Measurements the model made with a known `output_cost` are fitted back
  /// to it: a narrow 1×1 convolution (8 MACs per output) and a wide fully
  /// connected layer (512 MACs per output) of equal MACs tell it apart from
  /// `dense`.
  @Test func calibrateFitsTheOutputCost() async throws {
    let folder = try TemporaryFolder()
    func device(_ dispatch: String, _ dense: Double, _ cost: String) throws
      -> String
    {
      try Self.cpu([
        "dispatch: {value: \(dispatch), fitted_to: \"test\"}",
        "dense: {value: \(dense), fitted_to: \"test\"}",
        "output_cost: {value: \(cost), fitted_to: \"test\"}",
      ])
    }
    let truth = folder.path("truth.yaml")
    try device("10 us", 0.3, "2 ns").write(
      toFile: truth, atomically: true, encoding: .utf8)
    let start = folder.path("start.yaml")
    try device("3 us", 0.5, "0.2 ns").write(
      toFile: start, atomically: true, encoding: .utf8)
    let networks = [
      "narrow": """
      name: narrow
      input: {name: input, shape: [1, 8, 64, 64]}
      layers:
        - {name: p1, op: conv, filters: 8, kernel: 1}
      """,
      "wide": """
      name: wide
      input: {name: input, shape: [1, 512]}
      layers:
        - {name: f1, op: fc, units: 512}
      """,
    ]
    let fitted = try await Helpers.fitted(
      networks, measuredOn: truth, from: start, in: folder,
      out: folder.path("fitted.yaml"))
    let got = try #require(fitted["runtime.output_cost"])
    #expect(abs(got / 2e-9 - 1) < 0.01, "output_cost \(got)")
  }
}
