import ArgumentParser
import BitAccurateExecution
import Diagnostics
import Evaluation
import Foundation
import NetworkGraph
import NumPyFormat
import PrecisionModel

/// `edgesim run`: execute a model on a batch, in float or bit-accurately.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Run a model on a batch of samples, in float or bit-accurate fixed point.",
    discussion: """
      Without --precision the Float32 reference executor runs (ONNX \
      semantics). With a precision file (as written by \
      edgesim quantize) the network runs on integers exactly as \
      EdgeSim's fixed-point specification defines \
      (Documentation/Quantization.md), and a per-layer table reports the \
      statistics against the float network on the same samples: overflow \
      events (weights, bias, accumulator, requantization), underflows to \
      zero, used bits of the output, SQNR local (the layer alone) and \
      end-to-end, and the mean error in LSB.

      A pre-quantized model (QuantizeLinear/DequantizeLinear pairs, \
      QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger; as \
      onnxruntime's quantizer, TFLite converters and edgesim quantize \
      --method affine write them) runs in its own affine int8/uint8 \
      arithmetic, bit for bit as onnxruntime computes it \
      (Documentation/Quantization.md, "Affine integers"); --precision is \
      refused for it, and --output writes the integers (uint8, int8, int32) \
      when the graph's output is an integer tensor.

      --input is a float32 .npy shaped like the model's input with any batch \
      N. A model with several inputs takes --input NAME=FILE.npy once per \
      graph input; integer inputs (token ids, attention masks) take an \
      integer .npy (values within ±2^24). NaN is refused; ±inf saturates \
      and counts as overflow. --labels \
      (integer class indices, [N]) adds top-1 and top-5. --dump writes the \
      raw dump: one .npy per tensor (int64 raws in the \
      tensor's shape, float32 for float islands) and formats.json; the \
      folder is replaced as a whole, never half-written. --json prints \
      {"top1", "top5", "samples", "layers": [...], ...}; an SQNR is a \
      number, "inf" (no noise) or null (no signal).

      Example:
        edgesim run --model Workloads/digits/digits-plain.onnx \\
          --input Workloads/digits/test-images.npy --labels Workloads/digits/test-labels.npy
        edgesim quantize --model Workloads/digits/digits-plain.onnx --data Workloads/digits/test-images.npy --bits 8 --out p8.yaml
        edgesim run --model Workloads/digits/digits-plain.onnx --input Workloads/digits/test-images.npy --precision p8.yaml --dump raws/ --json
        edgesim run --model Workloads/affine/digits-qdq.onnx --input Workloads/digits/test-images.npy --labels Workloads/digits/test-labels.npy
      """)

  @Option(
    help: "The model (.onnx or .yaml) with its weights.",
    completion: .file(extensions: ["onnx", "yaml", "yml"]))
  var model: String

  @Option(
    help:
      "The samples: a float32 .npy [N, …], or NAME=FILE.npy once per graph input (integer .npy for integer inputs).",
    completion: .file(extensions: ["npy"]))
  var input: [String]

  @Option(
    help: "A precision file (.yaml); without it the run is float.",
    completion: .file(extensions: ["yaml", "yml"]))
  var precision: String?

  @Option(
    help:
      "Write the first output (float32, dequantized) to this .npy (- for standard output; the table then goes to standard error).",
    completion: .file(extensions: ["npy"]))
  var output: String?

  @Option(
    help:
      "Write the raw dump (every tensor's integers, formats.json) to this folder (needs --precision).",
    completion: .directory)
  var dump: String?

  @OptionGroup var labelsOption: LabelsOption
  var labels: String? { labelsOption.labels }

  @Option(
    help:
      "Run at most N samples at a time (bounds memory; results do not change; refused for a network that computes across samples)."
  )
  var batchSize: Int?

  @OptionGroup var dimensions: DimensionOptions

  @OptionGroup var format: OutputOptions

  func validate() throws {
    if input.isEmpty {
      throw ValidationError(
        "Missing expected argument '--input <input>' (FILE.npy, or NAME=FILE.npy per graph input)."
      )
    }
    if let batchSize, batchSize < 1 {
      throw ValidationError("--batch-size must be at least 1.")
    }
    if dump != nil, precision == nil {
      throw ValidationError(
        "--dump needs --precision: the raw dump holds fixed-point integers.")
    }
  }

  func run() throws {
    var printer = DiagnosticPrinter()
    do throws(CommandFailure) {
      var warnings: [Diagnostic] = []
      let (network, classes) = try ExecutionInputs.model(
        model, warnings: &warnings, severalInputs: true,
        dimensions: dimensions.values)
      let feeds = RunInputs.feeds(of: network)
      var inputs: [String: FloatTensor]
      if let only = feeds.first, feeds.count == 1, input.count == 1,
        only.elementType.isFloatingPoint, !input[0].hasPrefix(only.name + "=")
      {
        inputs = [
          only.name: try ExecutionInputs.samples(
            input[0], for: network, option: "--input", warnings: &warnings)
        ]
      } else {
        inputs = try RunInputs.read(input, for: network, warnings: &warnings)
      }
      let first = feeds.first.flatMap { inputs[$0.name] }
      let labelValues = try labels.map { path throws(CommandFailure) in
        try ExecutionInputs.labels(
          path, samples: first?.shape.first ?? 0, classes: classes)
      }
      if let precision, AffineExecutor.isQuantized(network) {
        throw CommandFailure(
          .error(
            "the model is already quantized (QuantizeLinear, DequantizeLinear "
              + "or QLinear operators): it runs in its own affine format, "
              + "not under a precision file",
            at: SourceLocation(file: precision),
            hint: "run it without --precision"))
      }
      let resolved = try precision.map { path throws(CommandFailure) in
        try PrecisionFile.resolve(path, for: network)
      }
      try OutputPath.check(
        [(output, "--output", .file), (dump, "--dump", .folder)].compactMap {
          path, option, kind in path.map { ($0, option, kind) }
        })
      printer.print(warnings + (resolved?.warnings ?? []))
      let outcome = try execute(
        network, inputs: inputs, labels: labelValues,
        precision: resolved?.precision)
      if let dump, let entries = outcome.dump {
        try RawDumpWriter.write(entries, to: dump)
      }
      if let output {
        if let integers = outcome.integerOutput {
          try Self.write(integers, to: output)
        } else {
          try Self.write(outcome.output, to: output)
        }
      }
      Terminal.results(
        format.json
          ? RunReport.json(outcome, model: model, precision: precision)
          : RunReport.table(outcome),
        standardOutputTaken: output == OutputPath.standardOutput)
    } catch {
      throw error.print(with: &printer)
    }
  }

  /// Runs the samples, in slices of `--batch-size` when a network computes
  /// each sample on its own, in fixed point with a precision file.
  func execute(
    _ network: Network, inputs: [String: FloatTensor], labels: [Int]?,
    precision resolved: ResolvedPrecision?
  ) throws(CommandFailure) -> RunOutcome {
    let feeds = RunInputs.feeds(of: network)
    guard let samples = feeds.first.flatMap({ inputs[$0.name] }) else {
      throw CommandFailure(.error("the model has no input", at: nil))
    }
    if inputs.count > 1, resolved != nil {
      throw CommandFailure(
        .error(
          "--precision runs models with one input; this one has "
            + "\(inputs.count)",
          at: SourceLocation(file: model), hint: "run without --precision"))
    }
    var batchSize = batchSize
    if let folded = network.foldedBatch, folded < samples.shape.first ?? 0 {
      // The importer bound the symbolic batch to `folded` while it folded
      // shape computations (a Reshape's target read from a Shape): the
      // model runs that many samples at a time, as onnxruntime would run
      // it with that batch.
      if let node = SampleIndependence.firstMixingNode(in: network) {
        throw CommandFailure(
          .error(
            "the model's shape computations were folded at batch \(folded), "
              + "but \(node.reference) computes across samples, so "
              + "\(samples.shape.first ?? 0) samples cannot run in slices of \(folded)",
            at: SourceLocation(file: model),
            hint:
              "give \(folded) sample(s) per run, or export the model with a fixed batch"
          ))
      }
      batchSize = min(batchSize ?? folded, folded)
    }
    if let batchSize = self.batchSize, batchSize < samples.shape.first ?? 0,
      let node = SampleIndependence.firstMixingNode(in: network)
    {
      // Slices would change what such a node computes.
      throw CommandFailure(
        .error(
          "--batch-size \(batchSize) would split the batch, but "
            + "\(node.reference) computes across samples, so its results "
            + "would change",
          at: SourceLocation(file: model),
          hint: "run without --batch-size"))
    }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    do throws(ExecutionError) {
      if AffineExecutor.isQuantized(network) {
        return try SlicedRun.affine(
          network: network, input: samples, labels: labels,
          batchSize: batchSize, clock: ContinuousClock())
      }
      if let resolved {
        return try SlicedRun.fixed(
          network: network, precision: resolved, input: samples,
          labels: labels, batchSize: batchSize, dump: dump != nil,
          concurrency: cores, clock: ContinuousClock())
      }
      if inputs.count > 1 {
        return try SlicedRun.float(
          network: network, inputs: inputs, labels: labels,
          batchSize: batchSize, concurrency: cores, clock: ContinuousClock())
      }
      return try SlicedRun.float(
        network: network, input: samples, labels: labels,
        batchSize: batchSize, concurrency: cores, clock: ContinuousClock())
    } catch {
      throw CommandFailure(
        .error(error.description, at: SourceLocation(file: precision ?? model)))
    }
  }

  /// Writes an integer tensor as a .npy of its type (uint8, int8, int16,
  /// int32), atomically.
  static func write(_ tensor: IntegerTensor, to path: String)
    throws(CommandFailure)
  {
    let values: NumPyArray.Values
    switch tensor.elementType {
    case .uint8:
      values = .uint8(tensor.values.map { UInt8(truncatingIfNeeded: $0) })
    case .int8:
      values = .int8(tensor.values.map { Int8(truncatingIfNeeded: $0) })
    case .int16:
      values = .int16(tensor.values.map { Int16(truncatingIfNeeded: $0) })
    case .int32:
      values = .int32(tensor.values.map { Int32(truncatingIfNeeded: $0) })
    default: values = .int64(tensor.values)
    }
    try write(NumPyArray(shape: tensor.shape, values: values), to: path)
  }

  /// Writes a float tensor as a float32 .npy, atomically.
  static func write(_ tensor: FloatTensor, to path: String)
    throws(CommandFailure)
  {
    try write(NumPyArray(float32: tensor.values, shape: tensor.shape), to: path)
  }

  /// Writes an array as a .npy file, atomically.
  static func write(
    _ array: @autoclosure () throws -> NumPyArray, to path: String
  )
    throws(CommandFailure)
  {
    let data: Data
    do {
      data = try array().npyData()
    } catch {
      throw CommandFailure(
        .error(
          "cannot write the output: \(error)", at: SourceLocation(file: path)))
    }
    do throws(FileIO.WriteFailure) {
      try FileIO.writeAtomically(data, to: path)
    } catch {
      throw CommandFailure(
        .error(
          "cannot write the output: \(error.reason)",
          at: SourceLocation(file: path)))
    }
  }
}
