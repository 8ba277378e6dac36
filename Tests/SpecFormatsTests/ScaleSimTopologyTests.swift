import Diagnostics
import Foundation
import NetworkGraph
import Testing

@testable import SpecFormats

/// SCALE-Sim topology files: per-layer MACs equal SCALE-Sim's `E·K·M`
/// (`shared/data/scalesim-model.md`), and the library CSVs agree with the
/// library YAML models.
@Suite struct ScaleSimTopologyTests {
  static let folder = WorkloadLibraryTests.library.appendingPathComponent(
    "scalesim")

  static func load(_ file: String) throws -> (Network, [[String]]) {
    let bytes = [UInt8](
      try Data(contentsOf: folder.appendingPathComponent(file)))
    let result = ScaleSimTopologyReader.read(bytes: bytes, fileName: file)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    let rows = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
      .dropFirst().map {
        $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      }
    return (try #require(result.value), rows)
  }

  /// SCALE-Sim's lowering of one conv line: E·K·M, with
  /// E = ceil((H − R + s)/s)·ceil((W − S + s)/s), K = R·S·C (R·S for DP
  /// layers, run as C layers of one channel), M filters.
  static func scaleSimMACs(_ row: [String]) -> Int {
    let v = row.dropFirst().prefix(7).compactMap { Int($0) }
    let (h, w, r, s, c, m, stride) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6])
    let eh = (h - r + stride + stride - 1) / stride
    let ew = (w - s + stride + stride - 1) / stride
    if row[0].contains("DP") { return c * (eh * ew * r * s * m) }
    return eh * ew * r * s * c * m
  }

  @Test(arguments: ["lenet5.csv", "alexnet.csv", "mobilenet_v1-slice.csv"])
  func macsPerLayerAreEKM(_ file: String) throws {
    let (network, rows) = try Self.load(file)
    let counts = try network.counts()
    #expect(counts.entries.count == rows.count)
    for (entry, row) in zip(counts.entries, rows) {
      #expect(entry.node.name == row[0])
      #expect(entry.counts.macs == Self.scaleSimMACs(row), "\(file) \(row[0])")
    }
  }

  @Test func libraryTopologiesMatchTheYAMLModels() throws {
    let lenet = try Self.load("lenet5.csv").0.counts().total.macs
    #expect(lenet == 416_520)
    let alexnet = try Self.load("alexnet.csv").0.counts().total.macs
    #expect(alexnet == 714_188_480)
    // The first seven conv layers of MobileNetV1, layer for layer.
    let slice = try Self.load("mobilenet_v1-slice.csv").0.counts().entries.map(
      \.counts.macs)
    let yaml = try WorkloadLibraryTests.load("mobilenet_v1.yaml").counts()
      .entries
      .filter { $0.node.opType == "Conv" }.prefix(7).map(\.counts.macs)
    #expect(slice == Array(yaml))
    let gemm = try Self.load("alexnet-fc-gemm.csv").0.counts().entries.map(
      \.counts.macs)
    #expect(gemm == [37_748_736, 16_777_216, 4_096_000])
  }

  @Test func layersAreIndependentWithTheirOwnInputs() throws {
    let (network, _) = try Self.load("alexnet.csv")
    #expect(network.inputs.count == 8)
    #expect(network.outputs.count == 8)
    #expect(
      network.inputs[1].dimensions == [
        .fixed(1), .fixed(64), .fixed(31), .fixed(31),
      ])
    let shapes = try network.inferShapes()
    #expect(shapes.shape(of: "Conv1")?.dims == [1, 64, 55, 55])
    #expect(shapes.shape(of: "FC6")?.dims == [1, 4096, 1, 1])
  }

  @Test func depthwiseLayersAreGroupedConvolutions() throws {
    let (network, _) = try Self.load("mobilenet_v1-slice.csv")
    let node = try #require(network.nodes.first { $0.name == "DP_Conv2" })
    guard case .conv(let attributes) = node.op else {
      Issue.record("DP_Conv2 is not a conv")
      return
    }
    #expect(attributes.group == 64)
    #expect(
      network.initializer(named: "DP_Conv2.weight")?.shape.dims == [
        64, 1, 3, 3,
      ])
    #expect(
      try network.inferShapes().shape(of: "DP_Conv2")?.dims == [1, 64, 56, 56])
  }

  /// When s does not divide H − R, SCALE-Sim rounds the output up; the reader
  /// pads the end so the Conv agrees.
  @Test func outputSizeRoundsUpAsSCALESimDoes() throws {
    let text = """
      Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
      Conv1, 230, 229, 7, 7, 3, 64, 2, 2:4,
      """
    let result = ScaleSimTopologyReader.read(
      bytes: Array(text.utf8), fileName: "r.csv")
    let network = try #require(result.value)
    // ceil((230 − 7 + 2)/2) = 113, ceil((229 − 7 + 2)/2) = 112.
    #expect(
      try network.inferShapes().shape(of: "Conv1")?.dims == [1, 64, 113, 112])
    #expect(try network.counts().total.macs == 113 * 112 * 7 * 7 * 3 * 64)
    // The sparsity ratio is read and reported as not modelled.
    #expect(result.diagnostics.map(\.severity) == [.warning])
    #expect(result.diagnostics.first?.location?.column == 34)
  }

  @Test func lineEndingsAndMissingTrailingCommaAreAccepted() throws {
    let text = "Layer, M, N, K,\r\nG1, 16, 32, 64\r\n\r\n"
    let network = try #require(
      ScaleSimTopologyReader.read(bytes: Array(text.utf8), fileName: "g.csv")
        .value)
    #expect(try network.counts().total.macs == 16 * 32 * 64)
  }
}
