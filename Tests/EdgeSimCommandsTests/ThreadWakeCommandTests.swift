import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// A CPU runtime's sleeping thread pool (`thread_wake`, `spin_window`)
/// through the front door: `simulate` charges the wake-up, `calibrate` fits
/// it, and a bad value is a located error.
@Suite struct ThreadWakeCommandTests {
  typealias Helpers = RuntimeCalibrationCommandTests

  /// A big fully connected layer (split over the cores), a small one (below
  /// `parallel_grain`: on the calling thread, the workers idle), then
  /// another big one, which finds the workers asleep once the small one
  /// outlasts `spin_window`.
  static let network = """
    name: gap
    input: {name: input, shape: [1, 64]}
    layers:
      - {name: big1, op: fc, units: 16384}
      - {name: small, op: fc, units: 4}
      - {name: big2, op: fc, units: 65536}
    """

  /// The workers sleep after `spin_window` of single-threaded work: the
  /// next kernel that splits over them pays `thread_wake`; within the
  /// window, or without the figure, no kernel does.
  @Test func simulateWakesWorkersThatFellAsleep() async throws {
    let folder = try TemporaryFolder()
    let network = folder.path("gap.yaml")
    try Self.network.write(toFile: network, atomically: true, encoding: .utf8)
    func device(_ wake: String) throws -> String {
      let path = folder.path("cpu.yaml")
      try Helpers.pixel3CPU(
        runtime: """
          runtime:
            dispatch: {value: 5 us, fitted_to: "test"}
            dense: {value: 0.3, fitted_to: "test"}
            parallel_grain: {value: 100000, fitted_to: "test"}
          \(wake)
          """
      ).write(toFile: path, atomically: true, encoding: .utf8)
      return path
    }
    // 16,384 × 4 = 65,536 MACs: one thread, at least its 5 µs dispatch.
    let asleep = try await Helpers.mappings(
      device: device(
        "  thread_wake: {value: 50 us, fitted_to: \"test\"}\n"
          + "  spin_window: {value: 1 us, fitted_to: \"test\"}"),
      network: network)
    #expect(asleep["big2"]?.contains("wake 50.0 us") == true, "\(asleep)")
    #expect(asleep["big1"]?.contains("wake") == false, "\(asleep)")
    #expect(asleep["small"]?.contains("wake") == false, "\(asleep)")
    let spinning = try await Helpers.mappings(
      device: device(
        "  thread_wake: {value: 50 us, fitted_to: \"test\"}\n"
          + "  spin_window: {value: 1 ms, fitted_to: \"test\"}"),
      network: network)
    #expect(spinning.values.allSatisfy { !$0.contains("wake") }, "\(spinning)")
    let undeclared = try await Helpers.mappings(
      device: device(""), network: network)
    #expect(
      undeclared.values.allSatisfy { !$0.contains("wake") }, "\(undeclared)")
  }

  /// Measurements the model made with a known `thread_wake` are fitted back
  /// to it from another start: networks whose convolutions follow pooling
  /// layers (workers idle) pay it, back-to-back convolutions do not.
  @Test func calibrateFitsTheWakeUp() async throws {
    let folder = try TemporaryFolder()
    func device(dispatch: String, wake: String) throws -> String {
      try Helpers.pixel3CPU(
        runtime: """
          runtime:
            dispatch: {value: \(dispatch), fitted_to: "test"}
            dense: {value: 0.3, fitted_to: "test"}
            thread_wake: {value: \(wake), fitted_to: "test"}
          """)
    }
    let truth = folder.path("truth.yaml")
    try device(dispatch: "10 us", wake: "40 us").write(
      toFile: truth, atomically: true, encoding: .utf8)
    let start = folder.path("start.yaml")
    try device(dispatch: "3 us", wake: "5 us").write(
      toFile: start, atomically: true, encoding: .utf8)
    let networks = [
      "convs": """
      name: convs
      input: {name: input, shape: [1, 16, 32, 32]}
      layers:
        - {name: c1, op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}
        - {name: c2, op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}
        - {name: c3, op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}
      """,
      "pools": """
      name: pools
      input: {name: input, shape: [1, 16, 32, 32]}
      layers:
        - {name: c1, op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}
        - {name: p1, op: max_pool, kernel: 2, stride: 2}
        - {name: c2, op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}
        - {name: p2, op: max_pool, kernel: 2, stride: 2}
        - {name: c3, op: conv, filters: 16, kernel: 3, padding: 1, activation: relu}
      """,
    ]
    let out = folder.path("fitted.yaml")
    let fitted = try await Helpers.fitted(
      networks, measuredOn: truth, from: start, in: folder, out: out)
    for (name, value) in [
      "runtime.dispatch": 10e-6, "runtime.thread_wake": 40e-6,
      "runtime.dense": 0.3,
    ] {
      let got = try #require(fitted[name], "\(name) missing")
      #expect(abs(got / value - 1) < 0.01, "\(name): \(got) against \(value)")
    }
    let written = try String(contentsOfFile: out, encoding: .utf8)
    #expect(written.contains("thread_wake: {value: 40"), "\(written)")
  }

  /// A `spin_window` outside its physical range stops `simulate` with the
  /// file, line and column of the value and a hint.
  @Test func aBadSpinWindowIsALocatedError() async throws {
    let folder = try TemporaryFolder()
    let device = folder.path("cpu.yaml")
    try Helpers.pixel3CPU(
      runtime: """
        runtime:
          dispatch: {value: 5 us, fitted_to: "test"}
          spin_window: {value: 2 s, fitted_to: "test"}
        """
    ).write(toFile: device, atomically: true, encoding: .utf8)
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", device, "--model", "lenet5", "--no-trace",
    ])
    #expect(run.status != 0, "\(run.standardError)")
    let text = try String(contentsOfFile: device, encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let line =
      try #require(
        lines.firstIndex { $0.contains("spin_window:") }) + 1
    #expect(
      run.standardError.contains(
        "cpu.yaml:\(line):24: error: 'spin_window' is 2 s, outside"),
      "\(run.standardError)")
    #expect(
      run.standardError.contains("how long the workers spin"),
      "\(run.standardError)")
  }
}
