import ArgumentParser
import Diagnostics
import Foundation
import WeightCompression

/// `edgesim compress`: compress a model's weights by a plan and measure the
/// stored sizes (COMPRESSION.md).
struct Compress: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Compress a model's weights (pruning, sharing, Huffman, low rank, ternary) and measure them.",
    discussion: """
      Implements COMPRESSION.md: per layer (Conv, Gemm, MatMul with \
      initializer weights), truncated SVD (rank or energy), magnitude \
      pruning (density), ternary weights or k-means weight sharing \
      (cluster_bits), relative-index sparse storage with fillers \
      (index_bits) and Huffman sizes (huffman). The plan has network-wide \
      defaults and per-layer entries by ONNX node name \
      (Documentation/Compression.md). Writes the folder --out, all or \
      nothing: compressed.onnx (the decoded network; a low-rank layer \
      becomes NODE_a and NODE_b), report.json (per stored layer and network \
      sizes and MACs) and coding.yaml (measured bits for simulate \
      --compression).

      Example:
        edgesim compress --model Workloads/digits/digits-plain.onnx \\
          --plan Tests/Fixtures/compression/digits-plain.yaml --out digits-compressed
        edgesim simulate --hardware eyeriss-v1 \\
          --model digits-compressed/compressed.onnx \\
          --compression digits-compressed/coding.yaml
      """)

  @Option(
    help: "The ONNX model with its weights.",
    completion: .file(extensions: ["onnx"]))
  var model: String

  @Option(
    help: "The compression plan (.yaml).",
    completion: .file(extensions: ["yaml", "yml"]))
  var plan: String

  @Option(help: "The folder to write (replaced as a whole).")
  var out: String

  @Option(
    help:
      "Samples (float32 .npy [N, …]): top-1/top-5 before and after, in float.",
    completion: .file(extensions: ["npy"]))
  var data: String?

  @OptionGroup var labelsOption: LabelsOption

  @Option(
    help:
      "A precision file: accuracy also through the bit-exact fixed-point executor.",
    completion: .file(extensions: ["yaml", "yml"]))
  var precision: String?

  @OptionGroup var format: OutputOptions

  func validate() throws {
    if labelsOption.labels != nil, data == nil {
      throw ValidationError("--labels needs --data.")
    }
    if precision != nil, data == nil {
      throw ValidationError("--precision needs --data.")
    }
  }

  func run() throws {
    var printer = DiagnosticPrinter()
    let inputs = try CompressionInputs.load(
      model: model, plan: plan, printer: &printer)
    do throws(CommandFailure) {
      try CompressionFolder.check(out)
      let outcome = Compressor.compress(
        inputs.model.layers, plan: inputs.plan)
      printer.print(outcome.warnings)
      let bytes: [UInt8]
      do {
        bytes = try inputs.model.exporting(outcome)
      } catch {
        throw CommandFailure(
          .error(
            "cannot encode the compressed model: \(error)",
            at: SourceLocation(file: model)))
      }
      var warnings: [Diagnostic] = []
      let accuracy = try data.map { path throws(CommandFailure) in
        try CompressionAccuracy.measure(
          model: model, compressed: bytes, data: path,
          labels: labelsOption.labels, precision: precision,
          warnings: &warnings)
      }
      printer.print(warnings)
      let report = CompressionReport(outcome, accuracy: accuracy)
      try CompressionFolder.write(
        model: bytes, report: report.json,
        coding: CompressionFolder.coding(outcome, model: model, plan: plan),
        to: out)
      Terminal.standardOutput(format.json ? report.json : report.table)
    } catch {
      throw error.print(with: &printer)
    }
  }
}
