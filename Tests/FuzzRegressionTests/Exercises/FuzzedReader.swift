// Shared by the seeded mutation harness (Tests/FuzzRegressionTests) and the
// libFuzzer targets (Fuzz/, which links this folder as its ReaderExercises
// module): what each reader is fed and what is done with what it returns.

import DesignSpace
import Diagnostics
import HardwareModel
import NetworkGraph
import NumPyFormat
import ONNXImport
import PrecisionModel
import Simulation
import SpecFormats

/// A reader of a file EdgeSim is given, as a fuzzer drives it.
///
/// ``exercise(_:)`` feeds the bytes to the reader's pure entry point and,
/// when a value comes back, carries it one stage further the way the
/// commands do (a device simulates a tiny network, a network is counted and
/// simulated on a tiny device, a sweep's first points are evaluated), so
/// that traps in later stages are found too. Any input may be refused; none
/// may trap, hang or take more than a few seconds.
public enum FuzzedReader: String, CaseIterable, Sendable {
  /// EdgeSim's hardware YAML (`HardwareLoader`, `.yaml`).
  case hardware
  /// SCALE-Sim `.cfg` (`ScaleSimConfigReader`).
  case scalesimConfig = "scalesim-config"
  /// SCALE-Sim topology `.csv` (`ScaleSimTopologyReader`).
  case scalesimTopology = "scalesim-topology"
  /// Workload YAML (`WorkloadReader`).
  case workload
  /// Precision YAML (`PrecisionReader`).
  case precision
  /// Sweep YAML (`SweepReader`).
  case sweep
  /// DRAM-coding YAML (`CompressionReader`).
  case compression
  /// ONNX models (`ONNXImporter`), external data never found.
  case onnx
  /// NumPy `.npy` arrays (`NumPyArray(npy:)`).
  case npy

  /// The name the reader is told the file has.
  public var fileName: String {
    switch self {
    case .hardware: "fuzz.yaml"
    case .scalesimConfig: "fuzz.cfg"
    case .scalesimTopology: "fuzz.csv"
    case .workload, .precision, .sweep, .compression: "fuzz.yaml"
    case .onnx: "fuzz.onnx"
    case .npy: "fuzz.npy"
    }
  }

  /// Whether the format is YAML (mutators insert YAML tokens).
  public var isYAML: Bool {
    switch self {
    case .hardware, .workload, .precision, .sweep, .compression: true
    case .scalesimConfig, .scalesimTopology, .onnx, .npy: false
    }
  }

  /// Seed files: repository-relative folders whose files with one of the
  /// extensions seed this reader (only files up to ``seedSizeLimit``).
  public var seedFolders: [String] {
    switch self {
    case .hardware:
      [
        "Hardware", "Scripts/validation", "Tests/SpecFormatsTests/Fixtures",
        "Tests/SpecFormatsTests/Fixtures/invalid",
      ]
    case .scalesimConfig:
      [
        "Workloads/scalesim-parity/configs", "Tests/SpecFormatsTests/Fixtures",
        "Tests/SpecFormatsTests/Fixtures/invalid-cfg",
      ]
    case .scalesimTopology:
      [
        "Workloads/scalesim", "Workloads/scalesim-parity/topologies",
        "Tests/SpecFormatsTests/Fixtures/workloads/invalid-csv",
      ]
    case .workload:
      [
        "Workloads", "Tests/SpecFormatsTests/Fixtures/workloads",
        "Tests/SpecFormatsTests/Fixtures/workloads/invalid",
      ]
    case .precision:
      [
        "Tests/SpecFormatsTests/Fixtures/precision",
        "Tests/SpecFormatsTests/Fixtures/precision/invalid",
      ]
    case .sweep: ["Workloads/sweeps"]
    case .compression:
      [
        "Workloads/compression", "Tests/SpecFormatsTests/Fixtures/compression",
        "Tests/SpecFormatsTests/Fixtures/compression/invalid",
      ]
    case .onnx: ["Workloads/digits", "Workloads/onnx/torchvision"]
    case .npy:
      [
        "Workloads/digits", "Tests/Fixtures/onnxruntime/digits-plain",
        "Tests/Fixtures/onnxruntime/digits-dwsep",
      ]
    }
  }

  /// The extensions of seed files.
  public var seedExtensions: [String] {
    switch self {
    case .hardware, .workload, .precision, .sweep, .compression:
      ["yaml", "yml"]
    case .scalesimConfig: ["cfg"]
    case .scalesimTopology: ["csv"]
    case .onnx: ["onnx"]
    case .npy: ["npy"]
    }
  }

  /// The largest seed file used, in bytes.
  public static let seedSizeLimit = 40_000

  /// Feeds `bytes` to the reader, and a value it returns one stage further.
  ///
  /// - Returns: Whether the reader accepted the bytes.
  @discardableResult
  public func exercise(_ bytes: [UInt8]) -> Bool {
    switch self {
    case .hardware, .scalesimConfig:
      let result = HardwareLoader.read(bytes: bytes, fileName: fileName)
      guard let device = result.value else { return false }
      _ = device.validate()
      _ = Simulator.run(FuzzFixtures.network, on: device)
      return true
    case .scalesimTopology:
      let result = ScaleSimTopologyReader.read(
        bytes: bytes, fileName: fileName)
      guard let network = result.value else { return false }
      Self.countAndSimulate(network)
      return true
    case .workload:
      let result = WorkloadReader.read(bytes: bytes, fileName: fileName)
      guard let network = result.value else { return false }
      Self.countAndSimulate(network)
      return true
    case .precision:
      let result = PrecisionReader.read(bytes: bytes, fileName: fileName)
      guard let plan = result.value else { return false }
      let problems = plan.problems(against: FuzzFixtures.network)
      _ = PrecisionReader.locate(problems, in: plan, fileName: fileName)
      return true
    case .sweep:
      let result = SweepReader.read(bytes: bytes, fileName: fileName)
      guard let plan = result.value else { return false }
      Self.evaluateFirstPoints(plan)
      return true
    case .compression:
      let result = CompressionReader.read(bytes: bytes, fileName: fileName)
      guard let file = result.value else { return false }
      let known = Set(FuzzFixtures.network.nodes.map(\.name))
      _ = file.unknownNames(known: known, model: "fuzz")
      _ = Simulator.run(
        FuzzFixtures.network, on: FuzzFixtures.device,
        options: SimulationOptions(compression: file.compression))
      return true
    case .onnx:
      let result = ONNXImporter.read(
        bytes: bytes, fileName: fileName, externalData: { _ in .notFound })
      guard let model = result.value else { return false }
      Self.countAndSimulate(model.network)
      return true
    case .npy:
      guard let array = try? NumPyArray(npy: bytes) else { return false }
      _ = try? array.tensor(named: "fuzz")
      _ = array.float32Values
      // What was read is written back readable.
      do {
        _ = try NumPyArray(npy: array.npyBytes())
      } catch {
        fatalError(
          "a decoded .npy array does not decode once encoded: \(error)")
      }
      return true
    }
  }

  /// Counts a network and, when it is small enough to be quick, simulates
  /// it on the tiny device.
  static func countAndSimulate(_ network: Network) {
    guard let counts = try? network.counts() else { return }
    guard network.nodes.count <= 64, counts.total.macs <= 1 << 34 else {
      return
    }
    _ = Simulator.run(network, on: FuzzFixtures.device)
  }

  /// Selects a sweep's points as `edgesim sweep` does and evaluates the
  /// first few with the tiny network and device.
  static func evaluateFirstPoints(_ plan: SweepPlan) {
    guard let indices = try? plan.selectedIndices(in: .whole) else { return }
    for index in indices.prefix(3) {
      let point = plan.point(at: index)
      _ = PointEvaluator.evaluate(
        point, network: FuzzFixtures.network, device: FuzzFixtures.device)
    }
  }
}

/// A tiny network and device the exercises carry values to.
enum FuzzFixtures {
  /// A systolic NPU with an `sram` level (the sweep's `buffer.sram` axis).
  static let device: Device = {
    let text = """
      name: fuzz-systolic
      kind: npu
      technology: 45 nm
      clock: 1 GHz
      compute:
        array: {rows: 8, columns: 8}
        dataflow: os
        macs_per_cycle: {int8: 1}
        mac_energy: {int8: 0.23 pJ}
      memory:
        - name: dram
          kind: dram
          bandwidth: 8 GB/s
          energy: 20 pJ/bit
        - name: sram
          kind: sram
          size: {inputs: 8 KiB, weights: 8 KiB, outputs: 8 KiB}
          read_bandwidth: 16 B/cycle
          write_bandwidth: 8 B/cycle
          energy: 0.44 pJ/bit
          double_buffered: true
      power:
        static: 0 W
      source: ["Hardware/systolic-32x32.yaml, scaled down"]
      """
    let result = HardwareReader.read(
      bytes: Array(text.utf8), fileName: "fuzz-device.yaml")
    guard let device = result.value else {
      fatalError("the fuzz fixture device does not read: \(result.diagnostics)")
    }
    return device
  }()

  /// Two convolutions, a pool and a fully connected layer, named like the
  /// seed files' layers (`conv1`, `conv2`, `fc`).
  static let network: Network = {
    let text = """
      name: fuzz-net
      input: {name: input, shape: [1, 1, 12, 12]}
      layers:
        - {name: conv1, op: conv, filters: 4, kernel: 3, activation: relu}
        - {name: conv2, op: conv, filters: 4, kernel: 3, activation: relu}
        - {name: pool, op: max_pool, kernel: 2}
        - {name: flatten, op: flatten}
        - {name: fc, op: fc, units: 10}
      """
    let result = WorkloadReader.read(
      bytes: Array(text.utf8), fileName: "fuzz-network.yaml")
    guard let network = result.value else {
      fatalError(
        "the fuzz fixture network does not read: \(result.diagnostics)")
    }
    return network
  }()
}
