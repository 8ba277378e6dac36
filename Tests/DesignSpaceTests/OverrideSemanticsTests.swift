import DesignSpace
import Foundation
import HardwareModel
import NetworkGraph
import Simulation
import SpecFormats
import Testing

/// A sweep's hardware override means what the same figure means written in
/// the device file (issue #14): a `bandwidth` gets the level's bandwidth
/// efficiency, and figures written per cycle follow a swept `clock`.
@Suite struct OverrideSemanticsTests {
  static func device(text: String, name: String) throws -> Device {
    let result = HardwareLoader.read(bytes: Array(text.utf8), fileName: name)
    return try #require(result.value, "\(result.diagnostics)")
  }

  static func bundledText(_ name: String) throws -> String {
    try String(
      contentsOf: PointEvaluatorTests.root.appendingPathComponent(
        "Hardware/\(name).yaml"), encoding: .utf8)
  }

  static func point(_ overrides: [HardwareOverride]) -> DesignPoint {
    var point = DesignPoint(index: 0, model: "m", device: "d", batch: 1)
    point.hardware = overrides
    return point
  }

  /// pynq-z1's DRAM states 2.1 GB/s at 75% efficiency: a sweep value of
  /// 4 GB/s equals editing the file to 4 GB/s (3 GB/s sustained), not 4.
  @Test func bandwidthOverrideEqualsEditingTheDeviceFile() throws {
    let text = try Self.bundledText("pynq-z1")
    #expect(text.contains("bandwidth: 2.1 GB/s"))
    let edited = try Self.device(
      text: text.replacingOccurrences(
        of: "bandwidth: 2.1 GB/s", with: "bandwidth: 4 GB/s"),
      name: "edited.yaml")
    let swept = try Self.point([
      HardwareOverride(parameter: .bandwidth, value: 4e9)
    ])
    .applyingOverrides(to: Self.device(text: text, name: "pynq-z1.yaml"))
    .get()
    #expect(swept.memory[0].readBandwidth == edited.memory[0].readBandwidth)
    #expect(swept.memory[0].writeBandwidth == edited.memory[0].writeBandwidth)
    #expect(swept.memory[0].readBandwidth == 4e9 * 0.75)
    #expect(swept == edited)
  }

  /// pynq-z1's on-chip buffer moves 800 B/cycle: at a swept clock of
  /// 260 MHz it moves twice the bytes per second it does at 130 MHz, and
  /// the device equals one whose file says 260 MHz.
  @Test func perCycleRatesFollowASweptClock() throws {
    let text = try Self.bundledText("pynq-z1")
    #expect(text.contains("clock: 130 MHz"))
    #expect(text.contains("bandwidth: 800 B/cycle"))
    let device = try Self.device(text: text, name: "pynq-z1.yaml")
    let level = try #require(device.memory.firstIndex { !$0.kind.isOffChip })
    #expect(device.memory[level].readBandwidth == 800 * 130e6)
    let swept = try Self.point([
      HardwareOverride(parameter: .clock, value: 260e6)
    ])
    .applyingOverrides(to: device).get()
    #expect(swept.memory[level].readBandwidth == 800 * 260e6)
    #expect(swept.memory[level].writeBandwidth == 800 * 260e6)
    // The off-chip DRAM is written per second and does not change.
    #expect(swept.memory[0].readBandwidth == device.memory[0].readBandwidth)
    let edited = try Self.device(
      text: text.replacingOccurrences(
        of: "clock: 130 MHz", with: "clock: 260 MHz"),
      name: "edited.yaml")
    #expect(swept == edited)
  }

  /// A latency written in cycles follows the clock too.
  @Test func latencyInCyclesFollowsTheClock() throws {
    let text = try Self.bundledText("systolic-32x32").replacingOccurrences(
      of: "bandwidth: unlimited ",
      with: "bandwidth: 16 B/cycle\n    latency: 100 cycles\n   ")
    var device = try Self.device(text: text, name: "latency.yaml")
    #expect(device.memory[0].latency == 100 / 1e9)
    #expect(device.memory[0].readBandwidth == 16e9)
    device.clock = 5e8
    #expect(device.memory[0].latency == 100 / 5e8)
    #expect(device.memory[0].readBandwidth == 8e9)
  }
}
