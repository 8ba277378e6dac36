import DesignSpace
import Foundation
import HardwareModel
import NetworkGraph
import PrecisionModel
import Simulation
import SpecFormats
import Testing

@Suite struct PointEvaluatorTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func device(_ name: String) throws -> Device {
    let path = root.appendingPathComponent("Hardware/\(name).yaml").path
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let result = HardwareLoader.read(bytes: bytes, fileName: name)
    return try #require(result.value, "\(result.diagnostics)")
  }

  static func network(_ name: String) throws -> Network {
    let path = root.appendingPathComponent("Workloads/\(name).yaml").path
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let result = WorkloadReader.read(bytes: bytes, fileName: name)
    return try #require(result.value, "\(result.diagnostics)")
  }

  @Test func overridesChangeTheDevice() throws {
    let device = try Self.device("systolic-32x32")
    var point = DesignPoint(index: 0, model: "m", device: "d", batch: 1)
    point.hardware = [
      HardwareOverride(parameter: .arraySize, value: 16),
      HardwareOverride(parameter: .clock, value: 5e8),
      HardwareOverride(parameter: .bandwidth, value: 1e9),
    ]
    let changed = try point.applyingOverrides(to: device).get()
    #expect(changed.compute.organisation.units == 256)
    #expect(changed.clock == 5e8)
    #expect(changed.memory[0].readBandwidth == 1e9)
    #expect(changed.memory[0].writeBandwidth == 1e9)
    // An array size on a device without an array is a reason, not a crash.
    let fpga = try Self.device("zc706-qiu2016")
    guard case .failure(let problem) = point.applyingOverrides(to: fpga) else {
      Issue.record("an FPGA has no systolic array")
      return
    }
    #expect(problem.message.contains("no systolic array"))
  }

  @Test func bufferOverridesScalePartitionedLevels() throws {
    let device = try Self.device("systolic-32x32")
    let level = try #require(device.memory.first { !$0.kind.isOffChip })
    var point = DesignPoint(index: 0, model: "m", device: "d", batch: 1)
    point.hardware = [
      HardwareOverride(parameter: .bufferBytes(level: level.name), value: 65536)
    ]
    let changed = try point.applyingOverrides(to: device).get()
    let bytes = try #require(
      changed.memory.first { $0.name == level.name }?.capacity.totalBytes)
    #expect(abs(bytes - 65536) < 1e-6)
    point.hardware = [
      HardwareOverride(parameter: .bufferBytes(level: "nope"), value: 65536)
    ]
    #expect((try? point.applyingOverrides(to: device).get()) == nil)
  }

  @Test func evaluatesLikeTheSimulatorAndSmallerArraysAreSlower() throws {
    let device = try Self.device("systolic-32x32")
    let network = try Self.network("lenet5")
    let plain = DesignPoint(
      index: 0, model: "lenet5", device: "systolic-32x32", batch: 1)
    let result = PointEvaluator.evaluate(
      plain, network: network, device: device)
    guard case .done(let metrics) = result.status,
      case .completed(let summary) = Simulator.run(network, on: device)
    else {
      Issue.record("\(result.status)")
      return
    }
    #expect(metrics.latency == summary.totals.latency)
    #expect(metrics.energy == summary.totals.energyPerInference)
    #expect(metrics.dramBytes == summary.totals.dramBytes)
    let parts =
      metrics.macEnergy + metrics.operationEnergy + metrics.dramEnergy
      + metrics.onChipEnergy + metrics.staticEnergy
    #expect(abs(parts - metrics.energy) <= 1e-9 * metrics.energy)
    var small = plain
    small.hardware = [HardwareOverride(parameter: .arraySize, value: 4)]
    guard
      case .done(let smaller) = PointEvaluator.evaluate(
        small, network: network, device: device
      ).status
    else {
      Issue.record("a 4x4 array should run LeNet-5")
      return
    }
    #expect(smaller.latency > metrics.latency)
  }

  @Test func unknownLayersFailAndUnsupportedPrecisionIsInfeasible() throws {
    let device = try Self.device("systolic-32x32")
    let network = try Self.network("lenet5")
    var point = DesignPoint(
      index: 0, model: "lenet5", device: "d", batch: 1, defaultBits: 8)
    point.precision = [
      PrecisionChoiceOfAxis(
        axis: "x", layers: .named(["no-such-layer"]),
        setting: PrecisionSetting(bits: 4))
    ]
    guard
      case .failed(let error) = PointEvaluator.evaluate(
        point, network: network, device: device
      ).status
    else {
      Issue.record("an unknown layer must fail the point")
      return
    }
    #expect(error.contains("no-such-layer"))
    // The array runs int8 only: 16 bits is an infeasible point, with the
    // simulator's reason, not an error.
    let eight = DesignPoint(
      index: 0, model: "lenet5", device: "d", batch: 1, defaultBits: 8)
    let sixteen = DesignPoint(
      index: 0, model: "lenet5", device: "d", batch: 1, defaultBits: 16)
    let a = PointEvaluator.evaluate(eight, network: network, device: device)
      .status
    let b = PointEvaluator.evaluate(sixteen, network: network, device: device)
      .status
    guard case .done = a, case .infeasible(let reason) = b else {
      Issue.record("\(a) \(b)")
      return
    }
    #expect(reason.contains("int16"))
  }

  @Test func runnerEvaluatesEachUnrecordedPointOnce() async throws {
    let plan = SweepPlan(name: "t", studies: [SweepPlanTests.study])
    let points = try plan.points(in: .whole)
    let skipped = Set(points.prefix(10).map(\.id))
    var recorded: [String] = []
    let count = try await SweepRunner.run(
      points, jobs: 3, isRecorded: { skipped.contains($0.id) },
      evaluate: { PointResult(point: $0, status: .infeasible(reason: "test")) },
      record: { recorded.append($0.point.id) })
    #expect(count == 62)
    #expect(recorded.count == 62)
    #expect(Set(recorded).count == 62)
    #expect(Set(recorded).isDisjoint(with: skipped))
  }
}
