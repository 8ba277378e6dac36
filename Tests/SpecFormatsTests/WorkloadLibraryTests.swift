import Diagnostics
import Foundation
import NetworkGraph
import Testing

@testable import SpecFormats

/// The shape-only models in `Workloads/`, counted by `Documentation/Counting.md`'s
/// rules, against published totals.
///
/// Batch norm is explicit in the YAML (`bias: false, batch_norm: true`: a
/// BatchNormalization node with γ, β, mean and var), so the **unfolded** graph
/// has exactly torchvision's parameter count (`sum(p.numel() for p in
/// model.parameters())`: γ and β count, running statistics are buffers).
/// After `foldingBatchNormalization()` each normalized channel's γ and β become
/// one conv bias, so the deployed count is torchvision's minus one per BN
/// channel (Counting.md, "After BatchNormalization folding"). MACs are Conv and
/// Gemm only, as fvcore counts them, and do not change with folding.
@Suite struct WorkloadLibraryTests {
  struct Reference: CustomTestStringConvertible, Sendable {
    var file: String
    var macs: Int
    /// Parameters of the graph as written (BN unfolded).
    var parameters: Int
    /// Batch-normalized channels (each loses one parameter when folded).
    var batchNormChannels: Int
    var source: String
    var testDescription: String { file }
  }

  static let references: [Reference] = [
    // Documentation/Counting.md's hand count (LeNet-5 with ReLU and max pooling).
    Reference(
      file: "lenet5.yaml", macs: 416_520, parameters: 61_706,
      batchNormChannels: 0, source: "Counting.md"),
    // torchvision model cards and Workloads/onnx/torchvision/reference-counts.json (fvcore).
    Reference(
      file: "alexnet.yaml", macs: 714_188_480, parameters: 61_100_840,
      batchNormChannels: 0, source: "torchvision"),
    Reference(
      file: "vgg16.yaml", macs: 15_470_264_320, parameters: 138_357_544,
      batchNormChannels: 0, source: "torchvision"),
    // Qiu et al. 2016: FC6 25088×4096 (102,760,448 weights) becomes
    // 25088×500 + 500×4096 (14,592,000): 30.76 GOP = 2 × 15,382,095,872 MACs,
    // 50.18 M weights (+ 13,416 biases).
    Reference(
      file: "vgg16-svd.yaml", macs: 15_470_264_320 - 102_760_448 + 14_592_000,
      parameters: 138_357_544 - 102_760_448 + 14_592_000, batchNormChannels: 0,
      source: "Qiu et al."),
    Reference(
      file: "resnet18.yaml", macs: 1_814_073_344, parameters: 11_689_512,
      batchNormChannels: 4_800, source: "torchvision"),
    Reference(
      file: "resnet50.yaml", macs: 4_089_184_256, parameters: 25_557_032,
      batchNormChannels: 26_560, source: "torchvision"),
    Reference(
      file: "mobilenet_v2.yaml", macs: 300_774_272, parameters: 3_504_872,
      batchNormChannels: 17_056, source: "torchvision"),
    Reference(
      file: "squeezenet1_1.yaml", macs: 349_151_936, parameters: 1_235_496,
      batchNormChannels: 0, source: "torchvision"),
    // Howard et al. 2017: 569 M mult-adds, 4.2 M parameters (Table 8); the
    // exact figures are those of the TF-Slim/Keras definition (Keras'
    // trainable parameter count).
    Reference(
      file: "mobilenet_v1.yaml", macs: 568_740_352, parameters: 4_231_976,
      batchNormChannels: 10_944, source: "Howard et al."),
    // Validation workloads (Documentation/Validation.md). AlexNet CONV1–5 at
    // 227×227, two towers (groups 2 in CONV2/4/5) as Eyeriss ran it: JSSC
    // 2017 gives 2.66 G MAC per batch of 4, i.e. 666 M per image.
    Reference(
      file: "alexnet-conv.yaml", macs: 665_784_864, parameters: 2_334_080,
      batchNormChannels: 0, source: "Chen et al., JSSC 2017"),
    // MLPerf Tiny VWW: MobileNetV1 0.25 at 96×96, 2 classes (~7.5 M MACs,
    // ~0.2 M parameters in the benchmark's description).
    Reference(
      file: "mobilenet_v1_025_96.yaml", macs: 7_489_664, parameters: 213_586,
      batchNormChannels: 2_736, source: "MLPerf Tiny"),
  ]

  /// The repository's `Workloads/` folder.
  static let library = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Workloads")

  static func load(_ file: String) throws -> Network {
    let bytes = [UInt8](
      try Data(contentsOf: library.appendingPathComponent(file)))
    let result = WorkloadReader.read(
      bytes: bytes, fileName: "Workloads/\(file)")
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(
      result.diagnostics.isEmpty,
      "\(result.diagnostics.map { $0.rendered(source: text) }.joined(separator: "\n"))"
    )
    return try #require(result.value)
  }

  @Test(arguments: references)
  func totalsMatchTheReference(_ reference: Reference) throws {
    let network = try Self.load(reference.file)
    let counts = try network.counts()
    #expect(counts.total.macs == reference.macs, "\(reference.file) MACs")
    #expect(
      counts.total.parameters == reference.parameters,
      "\(reference.file) parameters")
    let folded = try network.foldingBatchNormalization().counts()
    #expect(folded.total.macs == reference.macs)
    #expect(
      folded.total.parameters == reference.parameters
        - reference.batchNormChannels,
      "\(reference.file) folded parameters")
    #expect(network.validate(file: reference.file).isEmpty)
    #expect(
      network.initializers.allSatisfy {
        !$0.hasData || $0.elementType == .int64
      })
  }

  /// A row of `Workloads/published-counts.csv`, the table of the workloads
  /// that `Scripts/workloads/make-calibration-workloads.py` generates.
  struct PublishedCount: Sendable {
    var model: String
    /// The generator's own count (shape arithmetic in Python).
    var expectedMACs: Int
    /// The published figure and its relative tolerance, where one exists.
    var published: (macs: Int, tolerance: Double)?
  }

  static func publishedCounts() throws -> [PublishedCount] {
    let text = try String(
      contentsOf: library.appendingPathComponent("published-counts.csv"),
      encoding: .utf8)
    let lines = text.split(separator: "\n").dropFirst()
    return try lines.map { line in
      // model, expected_macs, published_macs, tolerance, source (last: may be quoted)
      let fields = line.split(
        separator: ",", maxSplits: 4, omittingEmptySubsequences: false
      ).map(String.init)
      try #require(fields.count == 5, "\(line)")
      let expected = try #require(Int(fields[1]), "\(line)")
      var published: (Int, Double)?
      if !fields[2].isEmpty {
        published = (
          try #require(Int(fields[2]), "\(line)"),
          try #require(Double(fields[3]), "\(line)")
        )
      }
      return PublishedCount(
        model: fields[0], expectedMACs: expected, published: published)
    }
  }

  /// Every generated workload loads without a diagnostic, EdgeSim counts the
  /// generator's MACs exactly, and the count is within the stated tolerance
  /// of the published figure where the table gives one.
  @Test func generatedWorkloadsMatchPublishedCounts() throws {
    let rows = try Self.publishedCounts()
    #expect(rows.count >= 20)
    for row in rows {
      let network = try Self.load("\(row.model).yaml")
      let macs = try network.counts().total.macs
      #expect(macs == row.expectedMACs, "\(row.model)")
      if let (published, tolerance) = row.published {
        let error = abs(Double(macs - published)) / Double(published)
        #expect(
          error <= tolerance,
          "\(row.model): \(macs) MACs, published \(published) (tolerance \(tolerance))"
        )
      }
    }
  }

  @Test func everyLibraryFileIsTested() throws {
    let files = try FileManager.default.contentsOfDirectory(
      atPath: Self.library.path
    )
    .filter { $0.hasSuffix(".yaml") }.sorted()
    let generated = try Self.publishedCounts().map { "\($0.model).yaml" }
    #expect(files == (Self.references.map(\.file) + generated).sorted())
  }

  /// Per node, ResNet-18's Conv/Gemm MACs equal fvcore's per-module figures.
  @Test func resNet18PerLayerMACs() throws {
    let counts = try Self.load("resnet18.yaml").counts()
    let macs = Dictionary(
      uniqueKeysWithValues: counts.entries.map {
        ($0.node.name, $0.counts.macs)
      })
    #expect(macs["conv1"] == 118_013_952)
    #expect(macs["layer1.0.conv1"] == 115_605_504)
    #expect(macs["layer2.0.conv1"] == 57_802_752)
    #expect(macs["layer2.0.downsample"] == 6_422_528)
    #expect(macs["fc"] == 512_000)
    let output = try #require(counts.entries.last?.outputShapes.first)
    #expect(output.dims == [1, 1000])
  }

  @Test func mobileNetV2DepthwiseLayersAreGrouped() throws {
    let network = try Self.load("mobilenet_v2.yaml")
    let node = try #require(network.nodes.first { $0.name == "features.2.dw" })
    guard case .conv(let attributes) = node.op else {
      Issue.record("features.2.dw is not a conv")
      return
    }
    #expect(attributes.group == 96)
    #expect(
      network.initializer(named: "features.2.dw.weight")?.shape.dims == [
        96, 1, 3, 3,
      ])
  }
}
