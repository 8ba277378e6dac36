import DesignSpace
import Diagnostics
import Foundation
import SpecFormats
import Testing

@Suite struct SweepReaderTests {
  static func read(_ text: String) -> LoadResult<SweepPlan> {
    SweepReader.read(bytes: Array(text.utf8), fileName: "s.yaml")
  }

  @Test func readsStudiesAxesRangesAndStrategies() throws {
    let result = Self.read(
      """
      name: example
      strategy: {random: {count: 50, seed: 7}}
      studies:
        - models: digits.onnx
          devices: [zc706-qiu2016]
          batch: 1..2
          precision:
            default_bits: 8
            groups:
              convs: [/conv1/Conv, /conv2/Conv]
            axes:
              - {layers: convs, bits: [4, 8]}
              - {layers: /fc/Gemm, bits: 8, fl: 2..7}
              - {layers: all, bits: 16}
        - models: mobilenet_v2
          devices: systolic-32x32
          hardware:
            array_size: 8..64 by 8
            clock: [100 MHz, 1 GHz]
            bandwidth: 2 GB/s
            buffers:
              sram: [64 KiB, 1 MiB]
      """)
    let plan = try #require(result.value, "\(result.diagnostics)")
    #expect(plan.name == "example")
    #expect(plan.strategy == .random(count: 50, seed: 7))
    #expect(plan.studies.count == 2)
    let digits = plan.studies[0]
    #expect(digits.models == ["digits.onnx"])
    #expect(digits.batches == [1, 2])
    #expect(digits.defaultBits == 8)
    #expect(digits.precisionAxes.map(\.label) == ["convs", "/fc/Gemm", "all"])
    #expect(
      digits.precisionAxes[0].layers == .named(["/conv1/Conv", "/conv2/Conv"]))
    #expect(
      digits.precisionAxes[1].settings.map(\.weightFractionalLength) == [
        2, 3, 4, 5, 6, 7,
      ])
    #expect(
      digits.precisionAxes[1].settings.map(\.activationFractionalLength) == [
        2, 3, 4, 5, 6, 7,
      ])
    #expect(digits.precisionAxes[2].layers == .all)
    #expect(digits.count == 2 * 2 * 6)
    let mobile = plan.studies[1]
    #expect(
      mobile.hardwareAxes.map(\.parameter.name) == [
        "array_size", "clock", "bandwidth", "buffer.sram",
      ])
    #expect(mobile.hardwareAxes[0].values == [8, 16, 24, 32, 40, 48, 56, 64])
    #expect(mobile.hardwareAxes[1].values == [1e8, 1e9])
    #expect(mobile.hardwareAxes[2].values == [2e9])
    #expect(mobile.hardwareAxes[3].values == [65536, 1_048_576])
    #expect(try plan.totalCount() == 24 + 8 * 2 * 2)
  }

  @Test func theExampleSweepHasAtLeast200Points() throws {
    let url = PointEvaluatorTests.root.appendingPathComponent(
      "Workloads/sweeps/example.yaml")
    let result = SweepReader.read(
      bytes: try [UInt8](Data(contentsOf: url)), fileName: "example.yaml")
    let plan = try #require(result.value, "\(result.diagnostics)")
    #expect(result.diagnostics.isEmpty)
    #expect(try plan.totalCount() == 6 * 6 * 6 + 8)
  }

  @Test func readsAccuracyAndTheSearchStrategy() throws {
    let text = """
      strategy: {search: {objective: latency, max_accuracy_drop: 0.5}}
      models: m.onnx
      devices: d
      precision:
        axes:
          - {layers: a, bits: [8, 4], weight_fl: 6..7}
      accuracy:
        evaluation: {data: x.npy, labels: y.npy, samples: 100}
        calibration: {data: c.npy, samples: 5..9}
        method: ristretto
      """
    let result = Self.read(text)
    let plan = try #require(result.value, "\(result.diagnostics)")
    #expect(
      plan.strategy
        == .search(SearchGoal(objective: .latency, maxAccuracyDrop: 0.5)))
    let study = plan.studies[0]
    #expect(
      study.accuracy
        == AccuracySpec(
          data: "x.npy", labels: "y.npy", samples: 0...99,
          calibrationData: "c.npy",
          calibrationSamples: 5...9, method: .ristretto))
    #expect(
      study.precisionAxes[0].settings.map(\.canonical) == [
        "8/wfl6", "8/wfl7", "4/wfl6", "4/wfl7",
      ])
  }

  @Test func aTopLevelStudyNeedsNoStudiesList() throws {
    let plan = try #require(
      Self.read("models: [lenet5]\ndevices: [eyeriss-v1, pynq-z1]\n").value)
    #expect(plan.strategy == .grid)
    #expect(
      plan.studies == [
        Study(models: ["lenet5"], devices: ["eyeriss-v1", "pynq-z1"])
      ])
  }

  /// Each invalid file gives one located error with this text.
  static let invalid: [(String, line: Int, column: Int, message: String)] = [
    ("devices: [d]\n", 1, 1, "missing key 'models'"),
    ("models: m\ndevices: d\nbatch: 0\n", 3, 8, "'batch' has 0"),
    (
      "models: m\ndevices: d\nbatch: 5..2\n", 3, 8,
      "is empty; write the smaller end first"
    ),
    ("models: m\ndevices: d\nmodles: x\n", 3, 1, "unknown key 'modles'"),
    ("models: [m, m]\ndevices: d\n", 1, 13, "'m' is listed twice"),
    (
      "models: m\ndevices: d\nprecision:\n  axes:\n    - {layers: all, bits: 40}\n",
      5, 27, "'bits' has 40"
    ),
    (
      "models: m\ndevices: d\nprecision:\n  axes:\n    - {layers: all}\n", 5, 7,
      "missing key 'bits'"
    ),
    (
      "models: m\ndevices: d\nprecision:\n  axes:\n    - {layers: a, bits: 8, fl: x..y}\n",
      5, 32, "'fl' must be whole numbers"
    ),
    ("models: m\ndevices: d\nhardware:\n  clock: 3 GB\n", 4, 10, "'clock'"),
    (
      "models: m\ndevices: d\nhardware:\n  array_sise: 8\n", 4, 3,
      "unknown key 'array_sise'"
    ),
    (
      "models: m\ndevices: d\nstrategy: grdi\n", 3, 11,
      "'grdi' is not a strategy"
    ),
    (
      "models: m\ndevices: d\nstrategy: {random: {seed: 1}}\n", 3, 20,
      "missing key 'count'"
    ),
    ("studies: []\n", 1, 10, "'studies' is empty"),
    (
      "models: m\nstudies:\n  - {models: m, devices: d}\n", 1, 1,
      "'models' is at the top level"
    ),
    (
      "models: m\ndevices: d\nprecision:\n  axes:\n    - {layers: a, bits: 8}\n    - {layers: a, bits: 4}\n",
      6, 7, "two axes set 'a'"
    ),
    (
      "models: m\ndevices: d\nprecision:\n  axes:\n    - {layers: a, bits: 8, fl: 3, weight_fl: 4}\n",
      5, 32, "'fl' sets both roles"
    ),
    (
      "models: m\ndevices: d\nstrategy: {search: {objective: power, max_accuracy_drop: 1}}\n",
      3, 32, "'power' is not a valid objective"
    ),
    (
      "models: m\ndevices: d\nstrategy: {search: {objective: energy}}\n", 3, 20,
      "missing key 'max_accuracy_drop'"
    ),
    (
      "models: m\ndevices: d\nstrategy: {search: {max_accuracy_drop: -1}}\n", 3,
      40, "'max_accuracy_drop'"
    ),
    (
      "strategy: {search: {max_accuracy_drop: 1}}\nmodels: m\ndevices: d\naccuracy: {evaluation: {data: x.npy, labels: y.npy}}\n",
      1, 1,
      "the search strategy needs precision or compression axes in every study"
    ),
    (
      "models: m\ndevices: d\naccuracy: {evaluation: {data: x.npy}}\n", 3, 24,
      "missing key 'labels'"
    ),
    (
      "models: m\ndevices: d\naccuracy: {evaluation: {data: x.npy, labels: y.npy, samples: 9..3}}\n",
      3, 62, "'samples' 9..3 is empty"
    ),
    (
      "models: m\ndevices: d\naccuracy: {evaluation: {data: x.npy, labels: y.npy}, method: qui}\n",
      3, 62, "'qui' is not a valid method"
    ),
    (
      "models: m\ndevices: d\naccuracy: {evaluation: {data: x.npy, labels: y.npy}, calibration: {sample: 3}}\n",
      3, 68, "unknown key 'sample'"
    ),
  ]

  @Test(arguments: invalid.indices)
  func invalidFilesGiveLocatedErrors(_ index: Int) {
    let (text, line, column, message) = Self.invalid[index]
    let result = Self.read(text)
    #expect(result.value == nil)
    let errors = result.diagnostics.filter { $0.severity == .error }
    let first = errors.first
    #expect(
      first?.message.contains(message) == true, "\(errors.map(\.message))")
    #expect(first?.location?.line == line, "\(text)")
    #expect(first?.location?.column == column, "\(text)")
    #expect(first?.location?.file == "s.yaml")
  }
}
