import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// `edgesim calibrate` on a device with a per-operator execution model
/// (`runtime:`), through the front door, in-process.
@Suite struct RuntimeCalibrationCommandTests {
  static let root = EdgeSimProcess.root.path

  /// Each layer's mapping from `simulate --json`.
  static func mappings(device: String, network: String) async throws
    -> [String: String]
  {
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", device, "--model", network, "--precision",
      "int8", "--no-trace", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let layers = try #require(
      try Self.json(run.standardOutput)["layers"] as? [[String: Any]])
    var result: [String: String] = [:]
    for layer in layers {
      result[layer["name"] as? String ?? ""] = layer["mapping"] as? String
    }
    return result
  }

  /// `networks` (name → layer list) simulated on `truth` at batches 1 and
  /// 4 as measurements, then fitted by `calibrate` from the device file
  /// `start` into `out`: each parameter's fitted value by name.
  static func fitted(
    _ networks: [String: String], measuredOn truth: String,
    from start: String, in folder: TemporaryFolder, out: String
  ) async throws -> [String: Double] {
    var lines = ["device,model,precision,batch,latency_ms,regime,runtime"]
    for (name, text) in networks.sorted(by: { $0.key < $1.key }) {
      let path = folder.path("\(name).yaml")
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      for batch in [1, 4] {
        let latency = try await simulated(truth, path, batch: batch)
        lines.append(
          "pixel3-cpu,\(path),int8,\(batch),\(latency),steady,TFLite")
      }
    }
    try lines.joined(separator: "\n").write(
      toFile: folder.path("m.csv"), atomically: true, encoding: .utf8)
    let run = await EdgeSimMain.capture([
      "calibrate", folder.path("m.csv"), "--hardware", start, "--out", out,
      "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    var fitted: [String: Double] = [:]
    for parameter in try #require(
      try json(run.standardOutput)["parameters"] as? [[String: Any]])
    {
      fitted[parameter["name"] as? String ?? ""] =
        parameter["fitted"] as? Double
    }
    return fitted
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(
      JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// The latency `simulate` prints for a model on a device, milliseconds.
  static func simulated(
    _ hardware: String, _ model: String, batch: Int = 1
  ) async throws -> Double {
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", hardware, "--model", model, "--precision",
      "int8", "--batch", "\(batch)", "--no-trace", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let totals = try #require(
      try json(run.standardOutput)["totals"] as? [String: Any])
    return try #require(totals["latency_s"] as? Double) * 1000
  }

  /// `--no-fit --json` on the committed fixture predicts every row with the
  /// bundled device exactly as `simulate` does, and names its parameters.
  @Test func noFitPredictsWhatSimulatePrints() async throws {
    let run = await EdgeSimMain.capture([
      "calibrate", "\(Self.root)/Tests/Fixtures/calibration/stm32-tflm.csv",
      "--hardware", "stm32l4r5", "--no-fit", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let report = try Self.json(run.standardOutput)
    let names = try #require(report["parameters"] as? [[String: Any]])
      .compactMap {
        $0["name"] as? String
      }
    #expect(names == ["runtime.cycle_scale"])
    let rows = try #require(report["measurements"] as? [[String: Any]])
    #expect(rows.count == 2)
    for (row, model) in zip(rows, ["mobilenet_v1_025_96", "lenet5"]) {
      let predicted = try #require(row["as_given_ms"] as? Double)
      let latency = try await Self.simulated("stm32l4r5", model)
      #expect(abs(predicted / latency - 1) < 1e-6)
    }
  }

  /// Measurements made by the model itself with known parameters are fitted
  /// back to those parameters from other starting values, and the written
  /// file simulates to the measurements.
  @Test func aFitRecoversTheParametersThatMadeTheMeasurements() async throws {
    let folder = try TemporaryFolder()
    let base = try String(
      contentsOfFile: "\(Self.root)/Hardware/stm32l4r5.yaml", encoding: .utf8)
    func device(dispatch: String, dense: Double, depthwise: Double) -> String {
      let start = base.range(of: "\nruntime:\n")!
      var end = base.index(after: start.upperBound)
      while let next = base[end...].firstIndex(of: "\n"),
        base[base.index(after: next)...].hasPrefix("  ")
      {
        end = base.index(after: next)
      }
      let tail = base[end...].drop { $0 != "\n" }
      return String(base[..<start.lowerBound])
        + """

        runtime:
          dispatch: {value: \(dispatch), fitted_to: "test"}
          dense: {value: \(dense), fitted_to: "test"}
          depthwise: {value: \(depthwise), fitted_to: "test"}
        """ + tail
    }
    let truth = folder.path("truth.yaml")
    try device(dispatch: "40 us", dense: 0.08, depthwise: 0.03).write(
      toFile: truth, atomically: true, encoding: .utf8)
    let start = folder.path("start.yaml")
    try device(dispatch: "300 us", dense: 0.5, depthwise: 0.5).write(
      toFile: start, atomically: true, encoding: .utf8)
    let dwnet = folder.path("dwnet.yaml")
    try """
    name: dwnet
    input: {name: input, shape: [1, 16, 24, 24]}
    layers:
      - {name: dw1, op: conv, depthwise: true, kernel: 3, padding: 1, activation: relu}
      - {name: pw1, op: conv, filters: 32, kernel: 1, activation: relu}
      - {name: dw2, op: conv, depthwise: true, kernel: 3, stride: 2, padding: 1, activation: relu}
      - {name: pw2, op: conv, filters: 32, kernel: 1, activation: relu}
      - {name: pool, op: global_avg_pool}
      - {name: flatten, op: flatten}
      - {name: fc, op: fc, units: 10}
    """.write(toFile: dwnet, atomically: true, encoding: .utf8)
    var lines = ["device,model,precision,batch,latency_ms,regime,runtime"]
    for (model, batch) in [
      ("lenet5", 1), ("lenet5", 4), (dwnet, 1), (dwnet, 2),
    ] {
      let latency = try await Self.simulated(truth, model, batch: batch)
      lines.append("stm32l4r5,\(model),int8,\(batch),\(latency),steady,TFLM")
    }
    try lines.joined(separator: "\n").write(
      toFile: folder.path("m.csv"), atomically: true, encoding: .utf8)
    let out = folder.path("fitted.yaml")
    let run = await EdgeSimMain.capture([
      "calibrate", folder.path("m.csv"), "--hardware", start, "--out", out,
      "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let report = try Self.json(run.standardOutput)
    let parameters = try #require(report["parameters"] as? [[String: Any]])
    var fitted: [String: Double] = [:]
    for parameter in parameters {
      fitted[parameter["name"] as? String ?? ""] =
        parameter["fitted"] as? Double
    }
    let expected = [
      "runtime.dispatch": 40e-6, "runtime.dense": 0.08,
      "runtime.depthwise": 0.03,
    ]
    for (name, value) in expected {
      let got = try #require(fitted[name], "\(name) missing")
      #expect(abs(got / value - 1) < 0.01, "\(name): \(got) against \(value)")
    }
    // In sample, the fit reproduces the measurements (held out, two models
    // cannot pin three parameters: not asserted).
    let summary = try #require(report["in_sample"] as? [String: Any])
    #expect((summary["worst"] as? Double ?? 1) < 0.01)
    let written = try String(contentsOfFile: out, encoding: .utf8)
    #expect(written.contains("dispatch: {value: "))
    #expect(written.contains("fitted_to: \"edgesim calibrate on"))
    let lenet = try await Self.simulated(out, "lenet5")
    #expect(abs(lenet / Double(lines[1].split(separator: ",")[4])! - 1) < 0.01)
  }

  /// The stm32l4r5 file with its `runtime:` block replaced by `lines`.
  static func stm32(runtime lines: [String]) throws -> String {
    try device(
      "stm32l4r5",
      runtime: "runtime:\n" + lines.map { "  \($0)" }.joined(separator: "\n"))
  }

  /// `Hardware/<name>.yaml` with its `runtime:` block replaced by `runtime`
  /// (the block's text, starting `runtime:`).
  static func device(_ name: String, runtime: String) throws -> String {
    let base = try String(
      contentsOfFile: "\(root)/Hardware/\(name).yaml", encoding: .utf8)
    let start = try #require(base.range(of: "\nruntime:\n"))
    var end = base.index(after: start.upperBound)
    while let next = base[end...].firstIndex(of: "\n"),
      base[base.index(after: next)...].hasPrefix("  ")
    {
      end = base.index(after: next)
    }
    let tail = base[end...].drop { $0 != "\n" }
    return String(base[..<start.lowerBound]) + "\n" + runtime + tail
  }

  /// One network of each dense kernel shape: k×k convolutions, 1×1
  /// convolutions, fully connected layers, and depthwise with 1×1.
  static let shapeNetworks = [
    "convnet": """
    name: convnet
    input: {name: input, shape: [1, 8, 20, 20]}
    layers:
      - {name: c1, op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}
      - {name: c2, op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}
    """,
    "pwnet": """
    name: pwnet
    input: {name: input, shape: [1, 32, 16, 16]}
    layers:
      - {name: p1, op: conv, filters: 32, kernel: 1, activation: relu}
      - {name: p2, op: conv, filters: 32, kernel: 1, activation: relu}
    """,
    "fcnet": """
    name: fcnet
    input: {name: input, shape: [1, 256]}
    layers:
      - {name: f1, op: fc, units: 128, activation: relu}
      - {name: f2, op: fc, units: 128, activation: relu}
      - {name: f3, op: fc, units: 16}
    """,
    "dwnet": """
    name: dwnet
    input: {name: input, shape: [1, 16, 24, 24]}
    layers:
      - {name: dw1, op: conv, depthwise: true, kernel: 3, padding: 1, activation: relu}
      - {name: pw1, op: conv, filters: 32, kernel: 1, activation: relu}
      - {name: c3, op: conv, filters: 2, kernel: 3, padding: 1, activation: relu}
    """,
  ]

  /// A microcontroller's kernel classes (k×k, 1×1, fully connected,
  /// depthwise) each run at their own fraction: measurements the model made
  /// with known fractions are fitted back to them by `calibrate`, and
  /// `simulate` names each dense layer's kernel shape.
  @Test func calibrateFitsAFractionPerKernelShape() async throws {
    let folder = try TemporaryFolder()
    func runtime(_ dense: Double, _ pointwise: Double, _ fc: Double) -> [String]
    {
      [
        "dispatch: {value: 30 us, fitted_to: \"test\"}",
        "dense: {value: \(dense), fitted_to: \"test\"}",
        "pointwise: {value: \(pointwise), fitted_to: \"test\"}",
        "fully_connected: {value: \(fc), fitted_to: \"test\"}",
        "depthwise: {value: 0.02, fitted_to: \"test\"}",
      ]
    }
    let truth = folder.path("truth.yaml")
    try Self.stm32(runtime: runtime(0.06, 0.15, 0.1)).write(
      toFile: truth, atomically: true, encoding: .utf8)
    let start = folder.path("start.yaml")
    try Self.stm32(runtime: runtime(0.3, 0.3, 0.3)).write(
      toFile: start, atomically: true, encoding: .utf8)
    var lines = ["device,model,precision,batch,latency_ms,regime,runtime"]
    for (name, text) in Self.shapeNetworks.sorted(by: { $0.key < $1.key }) {
      let path = folder.path("\(name).yaml")
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      for batch in [1, 2] {
        let latency = try await Self.simulated(truth, path, batch: batch)
        lines.append("stm32l4r5,\(path),int8,\(batch),\(latency),steady,TFLM")
      }
    }
    try lines.joined(separator: "\n").write(
      toFile: folder.path("m.csv"), atomically: true, encoding: .utf8)
    let run = await EdgeSimMain.capture([
      "calibrate", folder.path("m.csv"), "--hardware", start, "--out",
      folder.path("fitted.yaml"), "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let report = try Self.json(run.standardOutput)
    var fitted: [String: Double] = [:]
    for parameter in try #require(report["parameters"] as? [[String: Any]]) {
      fitted[parameter["name"] as? String ?? ""] =
        parameter["fitted"] as? Double
    }
    // The prior that draws `pointwise` and `fully_connected` toward `dense`
    // costs a little where the data pin them: within 5%.
    for (name, value) in [
      "runtime.dense": 0.06, "runtime.pointwise": 0.15,
      "runtime.fully_connected": 0.1, "runtime.depthwise": 0.02,
    ] {
      let got = try #require(fitted[name], "\(name) missing")
      #expect(abs(got / value - 1) < 0.05, "\(name): \(got) against \(value)")
    }

    // `simulate` names the shape and times each at its own fraction.
    let show = await EdgeSimMain.capture([
      "simulate", "--hardware", truth, "--model", folder.path("dwnet.yaml"),
      "--precision", "int8", "--no-trace", "--json",
    ])
    #expect(show.status == 0, "\(show.standardError)")
    let layers = try #require(
      try Self.json(show.standardOutput)["layers"] as? [[String: Any]])
    var mapping: [String: String] = [:]
    var utilization: [String: Double] = [:]
    for layer in layers {
      let name = layer["name"] as? String ?? ""
      mapping[name] = layer["mapping"] as? String
      utilization[name] = layer["utilization"] as? Double
    }
    #expect(mapping["pw1"]?.contains("kernel dense pointwise") == true)
    #expect(mapping["c3"]?.contains("kernel dense window") == true)
    #expect(mapping["dw1"]?.contains("kernel depthwise") == true)
    let pointwise = try #require(utilization["pw1"])
    let window = try #require(utilization["c3"])
    #expect(pointwise > 2 * window, "1×1 \(pointwise), 3×3 \(window)")
  }

  /// On a CPU, an operator pays `thread_dispatch` for every thread it wakes
  /// beyond the first: one too small to split (below `parallel_grain`)
  /// pays `dispatch` alone.
  @Test func threadDispatchIsPaidPerThreadAnOperatorUses() async throws {
    let folder = try TemporaryFolder()
    let device = folder.path("cpu.yaml")
    try Self.pixel3CPU(
      runtime: """
        runtime:
          dispatch: {value: 5 us, fitted_to: "test"}
          dense: {value: 0.3, fitted_to: "test"}
          parallel_grain: {value: 100000, fitted_to: "test"}
          thread_dispatch: {value: 20 us, fitted_to: "test"}
        """
    ).write(toFile: device, atomically: true, encoding: .utf8)
    let network = folder.path("two.yaml")
    try """
    name: two
    input: {name: input, shape: [1, 64]}
    layers:
      - {name: small, op: fc, units: 64}
      - {name: big, op: fc, units: 16384}
    """.write(toFile: network, atomically: true, encoding: .utf8)
    let mapping = try await Self.mappings(device: device, network: network)
    // 4,096 MACs: one thread. 1,048,576 MACs: all four, three woken.
    #expect(mapping["small"]?.contains("dispatch 5.0 us") == true, "\(mapping)")
    #expect(mapping["big"]?.contains("dispatch 65.0 us") == true, "\(mapping)")
  }

  /// `Hardware/pixel3-cpu.yaml` with its `runtime:` block replaced by
  /// `runtime` (the block's text, starting `runtime:`).
  static func pixel3CPU(runtime: String) throws -> String {
    try device("pixel3-cpu", runtime: runtime)
  }

  /// A runtime that packs weights per call charges each dense layer its
  /// weight bytes over the packing rate.
  ///
  /// With `weight_packing` declared, every convolution and fully connected
  /// layer pays it and a depthwise one does not; without the figure no
  /// layer packs. The charge follows the weights, not the MACs: the fc
  /// layer with 4× the weights of the 1×1 convolution but 1/64 of its MACs
  /// packs 4× as long.
  @Test func weightPackingIsChargedPerWeightByte() async throws {
    let folder = try TemporaryFolder()
    let network = folder.path("packs.yaml")
    try """
    name: packs
    input: {name: input, shape: [1, 64, 8, 8]}
    layers:
      - {name: pw, op: conv, filters: 64, kernel: 1, bias: false}
      - {name: dw, op: conv, depthwise: true, kernel: 3, padding: same, bias: false}
      - {name: flat, op: flatten}
      - {name: fc, op: fc, units: 4, bias: false}
    """.write(toFile: network, atomically: true, encoding: .utf8)
    func mappings(_ packing: String) async throws -> [String: String] {
      let device = folder.path("cpu.yaml")
      try Self.pixel3CPU(
        runtime: """
          runtime:
            dispatch: {value: 5 us, fitted_to: "test"}
            dense: {value: 0.3, fitted_to: "test"}
          \(packing)
          """
      ).write(toFile: device, atomically: true, encoding: .utf8)
      return try await Self.mappings(device: device, network: network)
    }
    // 10 MB/s: pw has 64·64 = 4,096 int8 weights (409.6 µs), fc 4,096·4 =
    // 16,384 (1,638.4 µs); dw packs nothing.
    let packed = try await mappings(
      "  weight_packing: {value: 10 MB/s, fitted_to: \"test\"}")
    #expect(packed["pw"]?.contains("packing 409.6 us") == true, "\(packed)")
    #expect(packed["fc"]?.contains("packing 1638.4 us") == true, "\(packed)")
    #expect(packed["dw"]?.contains("packing") == false, "\(packed)")
    let unpacked = try await mappings("")
    #expect(
      unpacked.values.allSatisfy { !$0.contains("packing") }, "\(unpacked)")
  }
}
