import Foundation
import HardwareModel
import NetworkGraph
import PrecisionModel
import Simulation
import SpecFormats
import Testing

/// Pins EdgeSim against the published measurements of
/// `shared/data/validation-targets.md`, with the calibrated devices of
/// `Hardware/` and the workloads of `Workloads/`
/// (`Documentation/Validation.md`; `Scripts/validate-devices.sh` prints the
/// same table).
///
/// Each row's tolerance is the one documented there: 25%, or the documented
/// miss.
@Suite struct ValidationTargetTests {
  static func workload(_ name: String) throws -> Network {
    let url = Devices.root.appendingPathComponent("Workloads/\(name).yaml")
    let data = try Data(contentsOf: url)
    let network = try #require(
      WorkloadReader.read(bytes: Array(data), fileName: "\(name).yaml").value)
    // As `edgesim simulate` (and Scripts/validate-devices.sh) runs it:
    // identities removed, batch-norm folded, as deployed.
    return network.removingIdentities().foldingBatchNormalization()
  }

  static func run(
    _ device: String, _ model: String, precision: PrecisionChoice,
    batch: Int = 1,
    inference: InferenceRegime = .steadyState
  ) throws -> RunSummary {
    let device = try #require(Devices.load(device))
    let options = SimulationOptions(
      precision: precision, batch: batch, inference: inference)
    let outcome = Simulator.run(
      try workload(model), on: device, options: options)
    guard case .completed(let summary) = outcome else {
      Issue.record("\(outcome)")
      throw CancellationError()
    }
    return summary
  }

  static func expectWithin(
    _ value: Double, _ published: Double, _ tolerance: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let error = (value - published) / published
    #expect(
      abs(error) <= tolerance,
      "\(what): EdgeSim \(value), published \(published), error \(error)",
      sourceLocation: sourceLocation)
  }

  /// Eyeriss' arithmetic: 16-bit operands and 16-bit partial sums.
  static let eyeriss16 = PrecisionChoice.perLayer(
    default: LayerWidths(
      weightBits: 16, inputBits: 16, outputBits: 16, accumulatorBits: 16,
      isFloat: false),
    layers: [:])

  @Test func eyerissAlexNetConvolutions() throws {
    let summary = try Self.run(
      "eyeriss-v1", "alexnet-conv", precision: Self.eyeriss16, batch: 4)
    let convs = summary.layers.filter { $0.opType == "Conv" }
    #expect(convs.count == 5)
    let seconds = convs.reduce(0) { $0 + $1.seconds }
    let joules = convs.reduce(0) { $0 + $1.energy.total }
    let dram = convs.reduce(0) {
      $0
        + Double(
          $1.dramRead.values.reduce(0, +) + $1.dramWritten.values.reduce(0, +))
    }
    Self.expectWithin(seconds * 1e3, 115.3, 0.25, "CONV1-5 latency per batch")
    Self.expectWithin(joules / seconds * 1e3, 278, 0.25, "CONV1-5 power")
    Self.expectWithin(
      dram / 1e6, 15.4, 0.35, "CONV1-5 DRAM traffic (documented miss +28%)")
    // JSSC 2017 Table V, per layer: latency (ms), documented tolerance.
    let published: [String: (Double, Double)] = [
      "conv1": (20.9, 0.25), "conv2": (41.9, 0.25), "conv3": (23.6, 0.30),
      "conv4": (18.4, 0.25),
      "conv5": (10.5, 0.40),
    ]
    for layer in convs {
      let (ms, tolerance) = try #require(published[layer.name])
      Self.expectWithin(
        layer.seconds * 1e3, ms, tolerance, "\(layer.name) latency")
    }
  }

  @Test func zc706VGG16SVD() throws {
    let summary = try Self.run(
      "zc706-qiu2016", "vgg16-svd", precision: .uniform(.int16))
    Self.expectWithin(summary.totals.latency * 1e3, 224.6, 0.25, "latency")
    Self.expectWithin(summary.totals.averagePower, 9.63, 0.25, "board power")
    let convs = summary.layers.filter { $0.opType == "Conv" }
    let opsPerSecond =
      2 * Double(convs.reduce(0) { $0 + $1.macs })
      / convs.reduce(0) { $0 + $1.seconds }
    Self.expectWithin(opsPerSecond / 1e9, 187.8, 0.25, "CONV GOP/s")
  }

  /// Coral's figure is steady state (parameters cached on chip across
  /// inferences), which `coral-edgetpu-usb` declares and a plain run times.
  @Test func coralEdgeTPUMobileNet() throws {
    let summary = try Self.run(
      "coral-edgetpu-usb", "mobilenet_v1", precision: .uniform(.int8))
    Self.expectWithin(summary.totals.latency * 1e3, 2.4, 0.25, "latency")
    #expect(summary.parameters.label == "resident")
    // The first inference streams all 4.2 MB of weights over USB.
    let cold = try Self.run(
      "coral-edgetpu-usb", "mobilenet_v1", precision: .uniform(.int8),
      inference: .cold)
    #expect(cold.parameters.label == "streamed")
    #expect(cold.totals.latency > 4 * summary.totals.latency)
  }

  @Test func pixel3MobileNet() throws {
    let fp32 = try Self.run(
      "pixel3-cpu", "mobilenet_v1", precision: .uniform(.fp32))
    Self.expectWithin(fp32.totals.latency * 1e3, 24.0, 0.25, "CPU fp32 latency")
    let int8 = try Self.run(
      "pixel3-cpu", "mobilenet_v1", precision: .uniform(.int8))
    Self.expectWithin(int8.totals.latency * 1e3, 13, 0.25, "CPU int8 latency")
    let gpu = try Self.run(
      "pixel3-gpu", "mobilenet_v1", precision: .uniform(.fp16))
    Self.expectWithin(gpu.totals.latency * 1e3, 6.5, 0.25, "GPU fp16 latency")
  }

  @Test func stm32VisualWakeWords() throws {
    let summary = try Self.run(
      "stm32l4r5", "mobilenet_v1_025_96", precision: .uniform(.int8))
    Self.expectWithin(summary.totals.latency * 1e3, 600.6, 0.25, "latency")
    Self.expectWithin(
      summary.totals.energyPerInference * 1e3, 24.31, 0.25, "energy")
  }
}
