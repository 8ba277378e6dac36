import Diagnostics
import Foundation
import SpecFormats
import Testing
import WeightCompression

@Suite struct CompressionPlanReaderTests {
  @Test func readsDefaultsAndLayers() throws {
    let result = CompressionPlanReader.read(
      bytes: try Golden.bytes("compression-plan/valid.yaml"),
      fileName: "p.yaml")
    let plan = try #require(result.value, "\(result.diagnostics)")
    #expect(plan.layers.map(\.name) == ["fc1", "conv1", "conv2"])
    #expect(plan.layers.map { $0.location?.line } == [7, 8, 10])
    #expect(
      plan.settings(for: "fc1")
        == LayerSettings(
          density: 0.1, clusterBits: 5, huffman: true, lowRank: .rank(8)))
    #expect(
      plan.settings(for: "conv1")
        == LayerSettings(
          density: 0.3, huffman: true, lowRank: .energy(0.9),
          ternary: .fraction(0.05)))
    #expect(
      plan.settings(for: "conv2")
        == LayerSettings(
          density: 0.3, indexBits: 6, huffman: true, lowRank: .energy(0.9),
          ternary: .twn))
    #expect(plan.settings(for: "other").clusterBits == 5)
    #expect(plan.layers[0].entry.lowRank.location?.line == 7)
  }

  static let invalid: [String] = {
    let folder = Golden.fixtures.appendingPathComponent(
      "compression-plan/invalid")
    return
      ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
      .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }()

  @Test func everyInvalidFixtureIsFound() {
    #expect(Self.invalid.count == 13)
  }

  @Test(arguments: invalid)
  func invalidPlansAreLocatedErrors(_ name: String) throws {
    let file = "compression-plan/invalid/\(name).yaml"
    let bytes = try Golden.bytes(file)
    let result = CompressionPlanReader.read(bytes: bytes, fileName: file)
    #expect(result.value == nil)
    #expect(result.diagnostics.containsErrors)
    for d in result.diagnostics {
      #expect(d.location?.line != nil, "\(name): \(d.message)")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    try Golden.check(
      result.diagnostics.map { $0.rendered(source: text) }.joined(
        separator: "\n") + "\n",
      against: "compression-plan/invalid/\(name).expected")
  }
}
