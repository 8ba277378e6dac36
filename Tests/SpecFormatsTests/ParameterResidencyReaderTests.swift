import Diagnostics
import Foundation
import HardwareModel
import Testing

@testable import SpecFormats

/// The `parameters:` key of a hardware description.
///
/// It says whether a device keeps a model's parameters on chip across
/// inferences (`Documentation/HardwareYAML.md`). Its errors are also pinned,
/// rendered, by the `invalid/parameters-*` golden fixtures.
@Suite struct ParameterResidencyReaderTests {
  /// `valid-npu.yaml` (dram, then a 256 KiB sram) with `parameters` text
  /// inserted before `power:`.
  static func read(_ parameters: String) throws -> LoadResult<Device> {
    let base = String(
      decoding: try Golden.bytes("valid-npu.yaml"), as: UTF8.self)
    let text = base.replacingOccurrences(
      of: "power:\n", with: parameters + "power:\n")
    return HardwareReader.read(bytes: Array(text.utf8), fileName: "p.yaml")
  }

  @Test func absentMeansFetchedEveryInference() throws {
    let device = try #require(try Self.read("").value)
    #expect(device.parameterResidency == nil)
  }

  @Test func acrossInferencesDefaultsToTheFirstOnChipWeightLevel() throws {
    let result = try Self.read("parameters: {resident: across_inferences}\n")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    let device = try #require(result.value)
    #expect(
      device.parameterResidency
        == ParameterResidency(level: "sram", capacity: nil))
  }

  @Test func levelAndCapacityAreRead() throws {
    let result = try Self.read(
      "parameters:\n  resident: across_inferences\n  level: sram\n  capacity: 128 KiB\n"
    )
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(
      result.value?.parameterResidency
        == ParameterResidency(level: "sram", capacity: 131_072))
  }

  @Test func perInferenceStatesTheDefault() throws {
    let result = try Self.read("parameters: {resident: per_inference}\n")
    #expect(result.diagnostics.isEmpty)
    let device = try #require(result.value)
    #expect(device.parameterResidency == nil)
  }

  /// Every bad value is an error at its own line and column, with a hint.
  @Test(arguments: [
    // (text, line, column, message fragment)
    ("parameters: {resident: always}\n", 21, 24, "not a valid resident"),
    ("parameters: {level: sram}\n", 21, 13, "resident"),
    (
      "parameters: {resident: across_inferences, level: sarm}\n", 21, 50,
      "not a memory level"
    ),
    (
      "parameters: {resident: across_inferences, level: dram}\n", 21, 50,
      "off chip"
    ),
    (
      "parameters:\n  resident: across_inferences\n  capacity: 300 KiB\n", 23,
      13, "more than sram"
    ),
    (
      "parameters:\n  resident: across_inferences\n  capacity: 8 MHz\n", 23, 13,
      "data size"
    ),
    (
      "parameters:\n  resident: per_inference\n  level: sram\n", 23, 10,
      "applies only to resident: across_inferences"
    ),
    (
      "parameters: {resident: across_inferences, cache: 8 MiB}\n", 21, 43,
      "cache"
    ),
    ("parameters: across_inferences\n", 21, 13, "parameters"),
  ])
  func badValuesAreLocated(
    _ text: String, _ line: Int, _ column: Int, _ fragment: String
  ) throws {
    let result = try Self.read(text)
    #expect(result.value == nil, "\(text) should be refused")
    let error = try #require(
      result.diagnostics.first { $0.severity == .error })
    #expect(error.location?.line == line, "\(text): \(error)")
    #expect(error.location?.column == column, "\(text): \(error)")
    #expect(error.message.contains(fragment), "\(text): \(error.message)")
    #expect(error.hint != nil, "\(text): \(error.message)")
  }

  @Test func theCoralEdgeTPUKeepsItsParametersInItsSRAM() throws {
    let url = Golden.fixtures
      .deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
      .appendingPathComponent("Hardware/coral-edgetpu-usb.yaml")
    let bytes = Array(try Data(contentsOf: url))
    let device = try #require(
      HardwareReader.read(bytes: bytes, fileName: "coral-edgetpu-usb.yaml")
        .value)
    #expect(
      device.parameterResidency
        == ParameterResidency(level: "sram", capacity: 8 * 1_048_576))
  }
}
