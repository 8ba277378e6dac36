import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// TensorFlow Lite Micro's reference kernels timed by their counted
/// Cortex-M4 cycles (`cycle_scale`, `ReferenceKernelCycles`) through the
/// front door: `simulate` prints each kernel's count and times it, a bad
/// `cycle_scale` is a located error, `calibrate` fits it.
@Suite struct ReferenceKernelCommandTests {
  typealias Helpers = RuntimeCalibrationCommandTests

  /// The stm32l4r5 file with `dispatch` and `cycle_scale` of `scale`.
  static func stm32(scale: String, extra: [String] = []) throws -> String {
    try Helpers.stm32(
      runtime: [
        "dispatch: {value: 10 us, fitted_to: \"test\"}",
        "cycle_scale: {value: \(scale), fitted_to: \"test\"}",
      ] + extra)
  }

  /// The reference cycles and the compute time (µs) in a layer's mapping.
  static func reference(_ mapping: String?) throws -> (Double, Double) {
    let text = try #require(mapping)
    let start = try #require(text.range(of: "reference ")).upperBound
    let end = try #require(text[start...].range(of: " cycles")).lowerBound
    let cycles = try #require(Double(text[start..<end]))
    return (cycles, try OutputCostCommandTests.compute(text))
  }

  /// The bundled FC autoencoder on the bundled device: every fully
  /// connected layer is counted per MAC (9 cycles) and per output (40), and
  /// its compute time is that count at the device's `cycle_scale`.
  @Test func theAutoencoderIsTimedByItsCountedCycles() async throws {
    let folder = try TemporaryFolder()
    let device = folder.path("stm32.yaml")
    try Self.stm32(scale: "0.5").write(
      toFile: device, atomically: true, encoding: .utf8)
    let mappings = try await Helpers.mappings(
      device: device,
      network: "\(Helpers.root)/Workloads/fc_autoencoder_toycar.yaml")
    // dense1: 640 inputs, 128 outputs; dense5: 128 → 8; output: 128 → 640.
    for (layer, inputs, outputs) in [
      ("dense1", 640.0, 128.0), ("dense5", 128, 8), ("output", 128, 640),
    ] {
      let (cycles, compute) = try Self.reference(mappings[layer])
      let expected = inputs * outputs * 9 + outputs * 40
      #expect(cycles == expected, "\(layer): \(cycles) against \(expected)")
      #expect(
        abs(compute - expected * 0.5 / 120) < 0.1,
        "\(layer): \(compute) us against \(expected * 0.5 / 120)")
      #expect(mappings[layer]?.contains("kernel dense matrix") == true)
    }
    // The bundled file declares `cycle_scale` too: its mapping counts alike.
    let bundled = try await Helpers.mappings(
      device: "stm32l4r5",
      network: "\(Helpers.root)/Workloads/fc_autoencoder_toycar.yaml")
    let (cycles, _) = try Self.reference(bundled["dense1"])
    #expect(cycles == 640 * 128 * 9 + 128 * 40)
  }

  /// Taps in the padding are counted apart from those inside the image.
  ///
  /// A 3×3 convolution with TFLite's padding on a 4×4 map: of the 144 taps
  /// per filter, 100 fall inside the image (10 per axis); each inside tap
  /// runs the channel loop at 10 cycles per MAC, each outside one at 5, every
  /// tap costs 19 and every output 43. A depthwise layer counts 24 per inside
  /// tap and 11 per outside one.
  @Test func paddingTapsAreCountedApart() async throws {
    let folder = try TemporaryFolder()
    let network = folder.path("pad.yaml")
    try """
    name: pad
    input: {name: input, shape: [1, 8, 4, 4]}
    layers:
      - {name: c1, op: conv, filters: 8, kernel: 3, padding: same}
      - {name: d1, op: conv, depthwise: true, kernel: 3, padding: same}
    """.write(toFile: network, atomically: true, encoding: .utf8)
    let device = folder.path("stm32.yaml")
    try Self.stm32(scale: "1").write(
      toFile: device, atomically: true, encoding: .utf8)
    let mappings = try await Helpers.mappings(device: device, network: network)
    // Conv: inside MACs, padding MACs, taps, outputs (8 filters, 8 channels).
    let inside: Double = 100 * 8 * 8 * 10
    let padding: Double = 44 * 8 * 8 * 5
    let taps: Double = 144 * 8 * 19
    let outputs: Double = 8 * 16 * 43
    let (conv, _) = try Self.reference(mappings["c1"])
    #expect(conv == inside + padding + taps + outputs, "\(conv)")
    // Depthwise: inside taps, padding taps, outputs (8 channels).
    let insideTaps: Double = 100 * 8 * 24
    let paddingTaps: Double = 44 * 8 * 11
    let (depthwise, _) = try Self.reference(mappings["d1"])
    #expect(
      depthwise == insideTaps + paddingTaps + outputs, "\(depthwise)")
  }

  /// A `cycle_scale` outside [0.01, 100], or declared beside a class
  /// fraction it replaces, stops `calibrate` with the file, line and column
  /// and a hint.
  @Test func aBadCycleScaleIsALocatedError() async throws {
    let folder = try TemporaryFolder()
    try """
    device,model,precision,batch,latency_ms,regime,runtime
    stm32l4r5,lenet5,int8,1,5,steady,TFLM
    """.write(
      toFile: folder.path("m.csv"), atomically: true, encoding: .utf8)
    for (extra, scale, message, hint) in [
      (
        [String](), "500", "'value' is 500, outside the allowed range",
        "in [0.01, 100]"
      ),
      (
        ["dense: {value: 0.1, fitted_to: \"test\"}"], "0.5",
        "'cycle_scale' times every MAC kernel", "remove the class fractions"
      ),
    ] {
      let device = folder.path("stm32.yaml")
      try Self.stm32(scale: scale, extra: extra).write(
        toFile: device, atomically: true, encoding: .utf8)
      let run = await EdgeSimMain.capture([
        "calibrate", folder.path("m.csv"), "--hardware", device, "--no-fit",
      ])
      #expect(run.status != 0, "\(run.standardError)")
      let text = try String(contentsOfFile: device, encoding: .utf8)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      let line =
        try #require(lines.firstIndex { $0.contains("cycle_scale:") }) + 1
      #expect(
        run.standardError.contains("stm32.yaml:\(line):"),
        "\(run.standardError)")
      #expect(run.standardError.contains(message), "\(run.standardError)")
      #expect(run.standardError.contains(hint), "\(run.standardError)")
    }
  }

  /// Measurements the model made with a known `cycle_scale` and `dispatch`
  /// are fitted back to them from other starting values.
  @Test func calibrateFitsTheCycleScale() async throws {
    let folder = try TemporaryFolder()
    let truth = folder.path("truth.yaml")
    try Self.stm32(scale: "0.6").write(
      toFile: truth, atomically: true, encoding: .utf8)
    let start = folder.path("start.yaml")
    try Self.stm32(scale: "2").write(
      toFile: start, atomically: true, encoding: .utf8)
    var lines = ["device,model,precision,batch,latency_ms,regime,runtime"]
    for (name, text) in Helpers.shapeNetworks.sorted(by: { $0.key < $1.key }) {
      let path = folder.path("\(name).yaml")
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      let latency = try await Helpers.simulated(truth, path)
      lines.append("stm32l4r5,\(path),int8,1,\(latency),steady,TFLM")
    }
    try lines.joined(separator: "\n").write(
      toFile: folder.path("m.csv"), atomically: true, encoding: .utf8)
    let run = await EdgeSimMain.capture([
      "calibrate", folder.path("m.csv"), "--hardware", start, "--out",
      folder.path("fitted.yaml"), "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    var fitted: [String: Double] = [:]
    for parameter in try #require(
      try Helpers.json(run.standardOutput)["parameters"] as? [[String: Any]])
    {
      fitted[parameter["name"] as? String ?? ""] =
        parameter["fitted"] as? Double
    }
    let scale = try #require(fitted["runtime.cycle_scale"])
    #expect(abs(scale / 0.6 - 1) < 0.01, "cycle_scale \(scale)")
  }
}
