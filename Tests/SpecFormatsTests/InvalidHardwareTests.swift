import Diagnostics
import Foundation
import HardwareModel
import Testing

@testable import SpecFormats

/// Every class of error in a hardware description, rendered exactly as
/// `edgesim validate` prints it, against golden files.
@Suite struct InvalidHardwareTests {
  static let cases: [String] = {
    let folder = Golden.fixtures.appendingPathComponent("invalid")
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
      .sorted()
  }()

  @Test func thereIsAFixtureForEveryErrorClass() {
    #expect(Self.cases.count >= 20)
  }

  @Test(arguments: cases)
  func renderedDiagnosticsMatchGolden(_ name: String) throws {
    let fileName = "invalid/\(name).yaml"
    let bytes = try Golden.bytes(fileName)
    let result = HardwareReader.read(bytes: bytes, fileName: fileName)
    #expect(result.value == nil, "\(name) should be rejected")
    #expect(result.diagnostics.containsErrors)
    for diagnostic in result.diagnostics where diagnostic.severity == .error {
      #expect(diagnostic.location != nil, "\(name): every error has a location")
      #expect(
        diagnostic.hint != nil,
        "\(name): every error has a hint: \(diagnostic.message)")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let rendered = result.diagnostics.map { $0.rendered(source: text) }.joined(
      separator: "\n")
    try Golden.check(rendered + "\n", against: "invalid/\(name).expected")
  }

  @Test func everyProblemIsReportedNotJustTheFirst() throws {
    let bytes = try Golden.bytes("invalid/many-errors.yaml")
    let result = HardwareReader.read(bytes: bytes, fileName: "many-errors.yaml")
    #expect(result.diagnostics.filter { $0.severity == .error }.count >= 3)
  }

  @Test func locationsPointAtTheOffendingValue() throws {
    let result = HardwareReader.read(
      bytes: try Golden.bytes("invalid/wrong-dimension.yaml"),
      fileName: "x.yaml")
    let first = try #require(result.diagnostics.first)
    #expect(first.location?.line == 4)
    #expect(first.location?.column == 8)
    #expect(first.message.contains("a data size"))
    #expect(first.hint?.contains("MHz") == true)
  }

  @Test func unknownKeysGetADidYouMean() throws {
    let result = HardwareReader.read(
      bytes: try Golden.bytes("invalid/unknown-key.yaml"), fileName: "x.yaml")
    #expect(
      result.diagnostics.contains {
        $0.hint?.hasPrefix("did you mean 'clock'?") == true
      })
  }

  @Test func fpgaOverBudgetSaysByHowMuch() throws {
    let dsp = HardwareReader.read(
      bytes: try Golden.bytes("invalid/fpga-over-dsp.yaml"), fileName: "x.yaml")
    #expect(dsp.diagnostics.contains { $0.message.contains("over by 100") })
    let bram = HardwareReader.read(
      bytes: try Golden.bytes("invalid/fpga-over-bram.yaml"), fileName: "x.yaml"
    )
    // 3 MiB = 3 145 728 B = 682.7 → 683 blocks of 4 608 B; the part has 545.
    #expect(
      bram.diagnostics.contains {
        $0.message.contains("683 BRAM36 blocks")
          && $0.message.contains("over by 138 blocks")
      })
  }
}
