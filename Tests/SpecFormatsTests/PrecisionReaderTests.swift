import Diagnostics
import FixedPointArithmetic
import Foundation
import NetworkGraph
import PrecisionModel
import Testing

@testable import SpecFormats

@Suite struct PrecisionReaderTests {
  @Test func readsTheSpecificationExample() throws {
    let result = PrecisionReader.read(
      bytes: try Golden.bytes("precision/valid.yaml"), fileName: "p.yaml")
    let plan = try #require(result.value, "\(result.diagnostics)")
    #expect(plan.input == FormatSpec(bits: 8, fractionalLength: 7))
    #expect(plan.defaults.weight == FormatSpec(bits: 8, fractionalLength: 6))
    #expect(
      plan.defaults.accumulator
        == AccumulatorSpec(bits: 32, policy: .saturateFinal))
    #expect(plan.defaults.bias == .accumulator)
    #expect(plan.defaults.rounding == .halfUp)
    #expect(plan.defaults.overflow == .saturate)
    #expect(plan.layers.map(\.name) == ["conv1", "fc3"])
    // §12.2: a layer entry overrides role by role, key by key.
    let fc3 = plan.merged(for: "fc3")
    #expect(fc3.weight == FormatSpec(bits: 4, fractionalLength: 5))
    #expect(fc3.activation == FormatSpec(bits: 8, fractionalLength: 4))
    #expect(plan.locations["layers.fc3.weight.fl"]?.line == 14)
  }

  @Test func rendersAndReadsBack() throws {
    let plan = try #require(
      PrecisionReader.read(
        bytes: try Golden.bytes("precision/valid.yaml"), fileName: "p"
      ).value)
    let again = try #require(
      PrecisionReader.read(bytes: Array(plan.render().utf8), fileName: "r")
        .value)
    #expect(again.input == plan.input)
    #expect(again.defaults == plan.defaults)
    #expect(again.layers == plan.layers)
  }

  static let invalid: [String] = {
    let folder = Golden.fixtures.appendingPathComponent("precision/invalid")
    return
      ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
      .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }()

  @Test(arguments: invalid)
  func invalidFilesAreLocatedErrors(_ name: String) throws {
    let file = "precision/invalid/\(name).yaml"
    let bytes = try Golden.bytes(file)
    let result = PrecisionReader.read(bytes: bytes, fileName: file)
    #expect(result.value == nil)
    for d in result.diagnostics {
      #expect(d.location?.line != nil, "\(name): \(d.message)")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    try Golden.check(
      result.diagnostics.map { $0.rendered(source: text) }.joined(
        separator: "\n") + "\n",
      against: "precision/invalid/\(name).expected")
  }

  func lenet() throws -> Network {
    let bytes = try [UInt8](
      Data(
        contentsOf: Golden.fixtures.appendingPathComponent(
          "../../../Workloads/lenet5.yaml")))
    return try #require(
      WorkloadReader.read(bytes: bytes, fileName: "lenet5.yaml").value)
  }

  @Test func problemsAgainstTheNetworkAreLocated() throws {
    let network = try lenet()
    for (file, expected, line) in [
      ("precision/unknown-layer.yaml", "unknown layer 'fc4'", 13),
      ("precision/format-on-relu.yaml", "keeps its input's format", 15),
    ] {
      let plan = try #require(
        PrecisionReader.read(bytes: try Golden.bytes(file), fileName: file)
          .value)
      let diagnostics = PrecisionReader.locate(
        plan.problems(against: network), in: plan, fileName: file)
      let match = diagnostics.first { $0.message.contains(expected) }
      #expect(match != nil, "\(file): \(diagnostics.map(\.message))")
      #expect(match?.location?.line == line)
    }
  }
}
