import Diagnostics
import Foundation
import Testing

@testable import SpecFormats

/// Every class of error in a workload file or a SCALE-Sim topology, rendered
/// exactly as `edgesim validate` prints it, against golden files.
@Suite struct InvalidWorkloadTests {
  static func names(in folder: String, ending suffix: String) -> [String] {
    let url = Golden.fixtures.appendingPathComponent(folder)
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.filter { $0.hasSuffix(suffix) }.map {
      String($0.dropLast(suffix.count))
    }.sorted()
  }

  static let yamlCases = names(in: "workloads/invalid", ending: ".yaml")
  static let csvCases = names(in: "workloads/invalid-csv", ending: ".csv")

  @Test func thereIsAFixtureForEveryErrorClass() {
    #expect(Self.yamlCases.count >= 12)
    #expect(Self.csvCases.count >= 8)
  }

  static func render(_ diagnostics: [Diagnostic], _ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    return diagnostics.map { $0.rendered(source: text) }.joined(separator: "\n")
      + "\n"
  }

  static func expectLocatedErrors(_ diagnostics: [Diagnostic], _ name: String) {
    #expect(diagnostics.containsErrors, "\(name) should be rejected")
    for diagnostic in diagnostics where diagnostic.severity == .error {
      #expect(diagnostic.location != nil, "\(name): every error has a location")
      #expect(
        diagnostic.hint != nil,
        "\(name): every error has a hint: \(diagnostic.message)")
    }
  }

  @Test(arguments: yamlCases)
  func workloadDiagnosticsMatchGolden(_ name: String) throws {
    let fileName = "workloads/invalid/\(name).yaml"
    let bytes = try Golden.bytes(fileName)
    let result = WorkloadReader.read(bytes: bytes, fileName: fileName)
    #expect(result.value == nil)
    Self.expectLocatedErrors(result.diagnostics, name)
    if name != "yaml-syntax" && name != "empty-layers"
      && name != "missing-layers"
    {
      #expect(
        result.diagnostics.allSatisfy { $0.location?.line != nil },
        "\(name): has a line")
    }
    try Golden.check(
      Self.render(result.diagnostics, bytes),
      against: "workloads/invalid/\(name).expected")
  }

  @Test(arguments: csvCases)
  func topologyDiagnosticsMatchGolden(_ name: String) throws {
    let fileName = "workloads/invalid-csv/\(name).csv"
    let bytes = try Golden.bytes(fileName)
    let result = ScaleSimTopologyReader.read(bytes: bytes, fileName: fileName)
    #expect(result.value == nil)
    Self.expectLocatedErrors(result.diagnostics, name)
    try Golden.check(
      Self.render(result.diagnostics, bytes),
      against: "workloads/invalid-csv/\(name).expected")
  }

  @Test func everyProblemIsReportedNotJustTheFirst() throws {
    let result = WorkloadReader.read(
      bytes: try Golden.bytes("workloads/invalid/many-errors.yaml"),
      fileName: "m.yaml")
    #expect(result.diagnostics.filter { $0.severity == .error }.count >= 4)
  }

  @Test func shapeErrorsPointAtTheOffendingLayer() throws {
    let result = WorkloadReader.read(
      bytes: try Golden.bytes("workloads/invalid/add-shape-mismatch.yaml"),
      fileName: "r.yaml")
    let error = try #require(result.diagnostics.first)
    #expect(error.location?.line == 6)
    #expect(error.message.contains("node 'sum' (Add)"))
    #expect(error.hint?.contains("[1, 32, 16, 16]") == true)
  }

  @Test func misspellingsGetADidYouMean() throws {
    let op = WorkloadReader.read(
      bytes: try Golden.bytes("workloads/invalid/unknown-op.yaml"),
      fileName: "x.yaml")
    #expect(
      op.diagnostics.contains {
        $0.hint?.hasPrefix("did you mean 'conv'?") == true
      })
    let key = WorkloadReader.read(
      bytes: try Golden.bytes("workloads/invalid/unknown-key.yaml"),
      fileName: "x.yaml")
    #expect(key.diagnostics.count == 1)
    #expect(
      key.diagnostics.first?.hint?.hasPrefix("did you mean 'filters'?") == true)
    let input = WorkloadReader.read(
      bytes: try Golden.bytes("workloads/invalid/unknown-input.yaml"),
      fileName: "x.yaml")
    #expect(
      input.diagnostics.first?.hint?.hasPrefix("did you mean 'conv_a'?") == true
    )
  }

  @Test func topologyErrorsNameTheField() throws {
    let result = ScaleSimTopologyReader.read(
      bytes: try Golden.bytes("workloads/invalid-csv/non-integer.csv"),
      fileName: "t.csv")
    let error = try #require(result.diagnostics.first)
    #expect(error.location?.line == 2)
    #expect(error.location?.column == 13)
    #expect(error.message.contains("'IFMAP Width'"))
  }

  @Test func hostileBytesAreRefused() {
    for bytes in [[UInt8](repeating: 0, count: 64), [0xFF, 0xFE, 0x00, 0x41]] {
      let yaml = WorkloadReader.read(bytes: bytes, fileName: "x.yaml")
      #expect(yaml.value == nil && yaml.diagnostics.containsErrors)
      let csv = ScaleSimTopologyReader.read(bytes: bytes, fileName: "x.csv")
      #expect(csv.value == nil && csv.diagnostics.containsErrors)
    }
    let huge =
      "name: big\ninput: [1, 1048576, 1048576, 1048576]\nlayers: [{op: relu}]\n"
    let result = WorkloadReader.read(
      bytes: Array(huge.utf8), fileName: "big.yaml")
    #expect(result.value == nil)
    #expect(result.diagnostics.first?.message.contains("2^40") == true)
  }
}
