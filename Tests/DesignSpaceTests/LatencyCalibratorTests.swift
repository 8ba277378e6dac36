import Evaluation
import HardwareModel
import NetworkGraph
import Simulation
import SpecFormats
import Testing

/// Fitting a device's free parameters to latencies, and
/// leave-one-model-out, on measurements made by the simulator itself.
@Suite struct LatencyCalibratorTests {
  /// A convolution-only network and a dense-only network: each exercises
  /// one operator class.
  static func convolutions() throws -> Network {
    try network(
      """
      name: convs
      input: {name: input, shape: [1, 8, 32, 32]}
      layers:
        - {name: c1, op: conv, filters: 16, kernel: 3, padding: 1}
        - {name: c2, op: conv, filters: 16, kernel: 3, padding: 1}
      """)
  }

  static func dense() throws -> Network {
    try network(
      """
      name: dense
      input: {name: input, shape: [1, 512]}
      layers:
        - {name: f1, op: fc, units: 256}
        - {name: f2, op: fc, units: 128}
      """)
  }

  static func smallConvolutions() throws -> Network {
    try network(
      """
      name: small
      input: {name: input, shape: [1, 4, 16, 16]}
      layers:
        - {name: c1, op: conv, filters: 8, kernel: 3, padding: 1}
      """)
  }

  static func network(_ text: String) throws -> Network {
    let result = WorkloadReader.read(
      bytes: Array(text.utf8), fileName: "t.yaml")
    return try #require(result.value, "\(result.diagnostics)")
  }

  /// The STM32 with only `conv` and `gemm` factors declared (its
  /// per-operator execution model removed: the loop-nest engine times it).
  static func device(conv: Double, gemm: Double) throws -> Device {
    var device = try PointEvaluatorTests.device("stm32l4r5")
    device.runtime = nil
    device.efficiency = [
      .conv: CalibrationFactor(value: conv, fittedTo: "test"),
      .gemm: CalibrationFactor(value: gemm, fittedTo: "test"),
    ]
    return device
  }

  static func measurements(
    _ models: [(String, Network)], on device: Device, scale: [Double]
  ) throws -> [LatencyMeasurement] {
    var options = SimulationOptions()
    options.precision = .uniform(.int8)
    return try zip(models, scale).map { model, factor in
      let predicted = try LatencyCalibrator.predict(
        [
          LatencyMeasurement(
            label: model.0, model: model.0, network: model.1,
            options: options, latency: 1)
        ], on: device)
      return LatencyMeasurement(
        label: "m.csv:\(model.0)", model: model.0, network: model.1,
        options: options, latency: predicted[0] * factor)
    }
  }

  /// Measurements made by a device with known factors are fitted back to
  /// those factors from a perturbed device, and predicted exactly.
  @Test func recoversKnownFactors() throws {
    let truth = try Self.device(conv: 0.4, gemm: 0.15)
    let models = [
      ("convs", try Self.convolutions()), ("dense", try Self.dense()),
      ("lenet5", try PointEvaluatorTests.network("lenet5")),
    ]
    let measured = try Self.measurements(models, on: truth, scale: [1, 1, 1])
    let start = try Self.device(conv: 1, gemm: 1)
    let report = try LatencyCalibrator.calibrate(
      measured, on: start,
      parameters: FreeParameter.efficiencyFactors(of: start, tied: false))
    #expect(
      report.parameters.map(\.name) == ["efficiency.conv", "efficiency.gemm"])
    #expect(abs(report.parameters[0].fitted / 0.4 - 1) < 0.01)
    #expect(abs(report.parameters[1].fitted / 0.15 - 1) < 0.01)
    let inSample = try #require(report.fittedSummary)
    #expect(inSample.worst < 0.01)
    // Each model is held out and still predicted: the other two pin both
    // factors.
    let heldOut = try #require(report.heldOutSummary)
    #expect(heldOut.count == 3)
    #expect(heldOut.worst < 0.02)
  }

  /// A held factor keeps its value in the in-sample fit and in every
  /// leave-one-model-out fit: held at twice the truth, `gemm` would be
  /// pinned by lenet5 in the fit that leaves `dense` out, yet `dense` (gemm
  /// layers only) is predicted there exactly as by the device as given,
  /// while `conv` is still fitted.
  @Test func aHeldFactorIsHeldInEveryFit() throws {
    let truth = try Self.device(conv: 0.4, gemm: 0.15)
    let models = [
      ("convs", try Self.convolutions()), ("dense", try Self.dense()),
      ("lenet5", try PointEvaluatorTests.network("lenet5")),
    ]
    let measured = try Self.measurements(models, on: truth, scale: [1, 1, 1])
    let start = try Self.device(conv: 1, gemm: 0.3)
    let parameters = try FreeParameter.holding(
      ["efficiency.gemm"],
      in: FreeParameter.efficiencyFactors(of: start, tied: false)
    ).get()
    let report = try LatencyCalibrator.calibrate(
      measured, on: start, parameters: parameters)
    #expect(report.parameters.map(\.isHeld) == [false, true])
    #expect(report.parameters[1].fitted == 0.3)
    #expect(report.device.efficiency[.gemm]?.value == 0.3)
    #expect(report.parameters[0].fitted < 0.9)
    let dense = report.predictions[1]
    #expect(dense.fitted == dense.initial)
    #expect(dense.heldOut == dense.initial)
    #expect(abs(dense.error(of: dense.initial)) > 0.1)
    // A name that is not a free parameter is refused, by name.
    switch FreeParameter.holding(["efficiency.fc"], in: parameters) {
    case .failure(let unknown): #expect(unknown.names == ["efficiency.fc"])
    case .success: Issue.record("efficiency.fc is not a free parameter")
    }
  }

  /// Leave-one-model-out by hand, for one tied factor that latency is
  /// inversely proportional to (convolutions bound by compute): with
  /// `convs` measured 2× slower than the truth and `small` as the truth,
  /// the fit without `convs` is the truth (convs predicted −50%), the fit
  /// without `small` halves the factor (small predicted +100%), and the
  /// fit to both is the geometric mean (errors −29.3% and +41.4%).
  @Test func leaveOneModelOutEqualsTheHandComputation() throws {
    let truth = try Self.device(conv: 0.3, gemm: 0.3)
    let models = [
      ("convs", try Self.convolutions()),
      ("small", try Self.smallConvolutions()),
    ]
    let measured = try Self.measurements(models, on: truth, scale: [2, 1])
    let start = try Self.device(conv: 0.9, gemm: 0.9)
    let report = try LatencyCalibrator.calibrate(
      measured, on: start,
      parameters: FreeParameter.efficiencyFactors(of: start, tied: true))
    let rows = report.predictions
    let root = 2.0.squareRoot()
    let heldOutConvs = try #require(rows[0].heldOut)
    let heldOutDense = try #require(rows[1].heldOut)
    let fittedConvs = try #require(rows[0].fitted)
    let fittedDense = try #require(rows[1].fitted)
    #expect(abs(rows[0].error(of: heldOutConvs) - -0.5) < 0.005)
    #expect(abs(rows[1].error(of: heldOutDense) - 1.0) < 0.01)
    #expect(abs(rows[0].error(of: fittedConvs) - (1 / root - 1)) < 0.005)
    #expect(abs(rows[1].error(of: fittedDense) - (root - 1)) < 0.005)
    #expect(abs(report.parameters[0].fitted / (0.3 / root) - 1) < 0.005)
    let summary = try #require(report.heldOutSummary)
    #expect(abs(summary.worst - 1.0) < 0.01)
    #expect(summary.worstLabel == "m.csv:small")
  }

  /// A device without factors, and a single model, are failures.
  @Test func refusesWhatCannotBeFitted() throws {
    let device = try Self.device(conv: 0.5, gemm: 0.5)
    let measured = try Self.measurements(
      [("dense", try Self.dense())], on: device, scale: [1])
    var bare = device
    bare.efficiency = [:]
    #expect(FreeParameter.efficiencyFactors(of: bare, tied: true).isEmpty)
    #expect(throws: CalibrationFailure.noFreeParameters(device: "stm32l4r5")) {
      try LatencyCalibrator.calibrate(measured, on: bare, parameters: [])
    }
    let tied = FreeParameter.efficiencyFactors(of: device, tied: true)
    #expect(throws: CalibrationFailure.tooFewModels(found: ["dense"])) {
      try LatencyCalibrator.calibrate(measured, on: device, parameters: tied)
    }
    #expect(throws: CalibrationFailure.noMeasurements) {
      try LatencyCalibrator.calibrate([], on: device, parameters: tied)
    }
  }

  /// The median and the worst of a set of errors.
  @Test func errorSummary() throws {
    let summary = try #require(
      ErrorSummary([("a", 0.1), ("b", -0.4), ("c", 0.2), ("d", -0.05)]))
    #expect(abs(summary.median - 0.15) < 1e-12)
    #expect(summary.worst == 0.4)
    #expect(summary.worstLabel == "b")
    #expect(ErrorSummary([]) == nil)
    #expect(CalibrationReport.percent(0.1234) == "12.3%")
  }
}
