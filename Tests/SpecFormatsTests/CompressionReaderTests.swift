import Diagnostics
import Foundation
import HardwareModel
import Testing

@testable import SpecFormats

@Suite struct CompressionReaderTests {
  @Test func readsBothSections() throws {
    let result = CompressionReader.read(
      bytes: try Golden.bytes("compression/valid.yaml"), fileName: "c.yaml")
    let file = try #require(result.value, "\(result.diagnostics)")
    let weights = try #require(file.compression.weights)
    #expect(
      weights.defaults
        == SparseWeightCoding.Parameters(
          density: 0.35, indexBits: 4, clusterBits: 8, huffman: 0.8))
    // A layer entry overrides key by key.
    #expect(
      weights.parameters(for: "fc6")
        == SparseWeightCoding.Parameters(
          density: 0.09, indexBits: 4, clusterBits: 5, huffman: 0.8))
    let activations = try #require(file.compression.activations)
    #expect(activations.runBits == 5)
    #expect(activations.levelBits == 16)
    #expect(activations.pairsPerWord == 3)
    #expect(activations.wordBits == 64)
    #expect(activations.defaultDensity == 0.5)
    #expect(activations.densities == ["conv1": 0.6, "input": 1])
    #expect(
      file.names.map { "\($0.section).\($0.name)@\($0.location.line ?? 0)" }
        == ["weights.fc6@9", "activations.conv1@18", "activations.input@19"])
  }

  @Test func measuredDensityIsNotedWithItsLocation() throws {
    let text = "activations:\n  density: measured\n  layers: {conv1: 0.2}\n"
    let file = try #require(
      CompressionReader.read(bytes: Array(text.utf8), fileName: "m.yaml").value)
    #expect(file.measuredDensity?.line == 2)
    #expect(file.compression.activations?.densities == ["conv1": 0.2])
    let plain = try #require(
      CompressionReader.read(
        bytes: Array("activations: {density: 0.4}\n".utf8), fileName: "p"
      ).value)
    #expect(plain.measuredDensity == nil)
    // Any other word is an error at its place.
    let bad = CompressionReader.read(
      bytes: Array("activations: {density: measure}\n".utf8), fileName: "b")
    #expect(bad.value == nil)
    #expect(bad.diagnostics.first?.location?.column == 24)
  }

  @Test func unknownLayerNamesAreLocatedWithASuggestion() throws {
    let file = try #require(
      CompressionReader.read(
        bytes: try Golden.bytes("compression/valid.yaml"), fileName: "c.yaml"
      ).value)
    let diagnostics = file.unknownNames(
      known: ["conv1", "fc6", "input", "fc7"], model: "m")
    #expect(diagnostics.isEmpty)
    let missing = file.unknownNames(
      known: ["conv1", "fc7", "input"], model: "m")
    #expect(missing.count == 1)
    #expect(missing.first?.message.contains("'fc6'") == true)
    #expect(missing.first?.location?.line == 9)
    #expect(missing.first?.hint?.contains("fc7") == true)
  }

  /// `stored_bits` (written by edgesim compress) replaces the estimate of a
  /// layer; it is a per-layer key only.
  @Test func measuredStoredBitsReplaceTheEstimate() throws {
    let text =
      "weights:\n  density: 1\n  index_bits: 4\n  layers:\n    fc: {stored_bits: 1234}\n"
    let file = try #require(
      CompressionReader.read(bytes: Array(text.utf8), fileName: "c.yaml").value)
    let weights = try #require(file.compression.weights)
    #expect(weights.parameters(for: "fc").storedBits == 1234)
    #expect(
      weights.codedBits(elements: 500, weightBits: 8, layer: "fc") == 1234)
    #expect(weights.parameters(for: "conv").storedBits == nil)
    let top = "weights: {density: 1, index_bits: 4, stored_bits: 5}\n"
    let bad = CompressionReader.read(bytes: Array(top.utf8), fileName: "b")
    #expect(bad.value == nil)
    #expect(bad.diagnostics.first?.message.contains("stored_bits") == true)
  }

  static let invalid: [String] = {
    let folder = Golden.fixtures.appendingPathComponent("compression/invalid")
    return
      ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
      .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }()

  @Test func everyInvalidFixtureIsFound() {
    #expect(Self.invalid.count == 12)
  }

  @Test(arguments: invalid)
  func invalidFilesAreLocatedErrors(_ name: String) throws {
    let file = "compression/invalid/\(name).yaml"
    let bytes = try Golden.bytes(file)
    let result = CompressionReader.read(bytes: bytes, fileName: file)
    #expect(result.value == nil)
    #expect(result.diagnostics.containsErrors)
    for d in result.diagnostics {
      #expect(d.location?.line != nil, "\(name): \(d.message)")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    try Golden.check(
      result.diagnostics.map { $0.rendered(source: text) }.joined(
        separator: "\n") + "\n",
      against: "compression/invalid/\(name).expected")
  }
}
