import Diagnostics
import Foundation
import HardwareModel
import Testing

@testable import SpecFormats

@Suite struct ValidHardwareTests {
  @Test func npuFixtureReadsIntoTheModel() throws {
    let result = HardwareReader.read(
      bytes: try Golden.bytes("valid-npu.yaml"), fileName: "n.yaml")
    #expect(result.diagnostics.isEmpty)
    let device = try #require(result.value)
    #expect(device.kind == .npu)
    #expect(device.clock == 500e6)
    #expect(device.technologyNanometres == 28)
    #expect(
      device.compute.organisation
        == .array(SystolicArray(rows: 16, columns: 16, dataflow: .ws)))
    #expect(device.peakMACsPerSecond(.int8) == 256 * 500e6)
    #expect(device.peakMACsPerSecond(.fp32) == nil)
    #expect(device.memory.count == 2)
    let sram = device.memory[1]
    #expect(sram.capacity == .shared(bytes: 262_144))
    // 32 B/cycle at 500 MHz.
    #expect(sram.readBandwidth == 16e9)
    #expect(sram.sharedPort)
    #expect(sram.doubleBuffered)
    #expect(abs(sram.energy.readPerBit - 0.3e-12) < 1e-27)
    #expect(device.memory[0].readBandwidth == 8e9)
    #expect(device.staticPower == 0.05)
    #expect(device.home(of: .weights) == 0)
  }

  @Test func cpuAndFpgaFixturesAreValid() throws {
    for name in ["valid-cpu.yaml", "valid-fpga.yaml"] {
      let result = HardwareReader.read(
        bytes: try Golden.bytes(name), fileName: name)
      #expect(result.value != nil, "\(result.diagnostics)")
    }
    let cpu = try #require(
      HardwareReader.read(
        bytes: try Golden.bytes("valid-cpu.yaml"), fileName: "c"
      ).value)
    #expect(cpu.peakMACsPerSecond(.int8) == 4 * 32 * 2e9)
    #expect(cpu.memory[1].totalBytes == 1_048_576.0)
  }

  @Test func perAccessEnergyIsDividedByThePortWidth() throws {
    let text = String(
      decoding: try Golden.bytes("valid-npu.yaml"), as: UTF8.self
    )
    .replacingOccurrences(
      of: "    energy: 0.3 pJ/bit",
      with: "    energy: 20 pJ\n    port_width: 64 bit")
    let device = try #require(
      HardwareReader.read(bytes: Array(text.utf8), fileName: "n").value)
    #expect(abs(device.memory[1].energy.readPerBit - 20e-12 / 64) < 1e-27)
  }

  @Test func bundledExamplesInTheDocumentationAreValid() throws {
    let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Documentation/HardwareYAML.md")
    let text = try String(contentsOf: doc, encoding: .utf8)
    let blocks = text.components(separatedBy: "```yaml\n").dropFirst().map {
      $0.components(separatedBy: "```").first ?? ""
    }
    #expect(blocks.count >= 5)
    for (i, block) in blocks.enumerated() {
      let result = HardwareReader.read(
        bytes: Array(block.utf8), fileName: "example-\(i).yaml")
      #expect(
        result.value != nil,
        "example \(i): \(result.diagnostics.map { $0.rendered(source: block) })"
      )
    }
  }
}
