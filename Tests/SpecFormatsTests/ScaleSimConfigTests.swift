import Diagnostics
import HardwareModel
import Testing

@testable import SpecFormats

@Suite struct ScaleSimConfigTests {
  @Test func calcModeGivesAnUnlimitedBackingStore() throws {
    let result = HardwareLoader.read(
      bytes: try Golden.bytes("scalesim-calc.cfg"),
      fileName: "scalesim-calc.cfg")
    let device = try #require(result.value, "\(result.diagnostics)")
    #expect(device.name == "scalesim_32x32_os")
    #expect(device.kind == .npu)
    #expect(
      device.compute.organisation
        == .array(SystolicArray(rows: 32, columns: 32, dataflow: .os)))
    #expect(device.memory[0].readBandwidth.isInfinite)
    #expect(
      device.memory[1].capacity
        == .partitioned([.inputs: 65_536, .weights: 65_536, .outputs: 65_536]))
    #expect(device.memory[1].doubleBuffered)
    #expect(device.sources.contains { $0.contains("estimate") })
  }

  @Test func userModeTakesTheBankAndDrainBandwidths() throws {
    let device = try #require(
      HardwareLoader.read(
        bytes: try Golden.bytes("scalesim-user.cfg"), fileName: "u.cfg"
      ).value)
    #expect(
      device.compute.organisation
        == .array(SystolicArray(rows: 32, columns: 32, dataflow: .ws)))
    // Ifmap 10 + filter 10 words/cycle in; Bandwidth 10 words/cycle out; 1 GHz.
    #expect(device.memory[0].readBandwidth == 20e9)
    #expect(device.memory[0].writeBandwidth == 10e9)
  }

  @Test(arguments: ["bad-keys", "bad-values"])
  func invalidConfigsMatchGolden(_ name: String) throws {
    let fileName = "invalid-cfg/\(name).cfg"
    let bytes = try Golden.bytes(fileName)
    let result = HardwareLoader.read(bytes: bytes, fileName: fileName)
    #expect(result.value == nil)
    for d in result.diagnostics { #expect(d.location?.line != nil) }
    let text = String(decoding: bytes, as: UTF8.self)
    try Golden.check(
      result.diagnostics.map { $0.rendered(source: text) }.joined(
        separator: "\n") + "\n",
      against: "invalid-cfg/\(name).expected")
  }

  @Test func binaryIsRefused() {
    let result = HardwareLoader.read(bytes: [0, 1, 2, 0xFF], fileName: "x.cfg")
    #expect(result.value == nil)
    #expect(result.diagnostics.containsErrors)
  }
}
