import ArgumentParser
import BitAccurateExecution
import Diagnostics
import Evaluation
import FixedPointArithmetic
import Foundation
import NetworkGraph
import PrecisionModel

extension CalibrationMethod: ExpressibleByArgument {}
extension NonlinearArithmetic: ExpressibleByArgument {}

/// The methods of `edgesim quantize`: the fixed-point calibrations, or
/// affine (a QDQ ONNX model).
enum QuantizeMethod: String, ExpressibleByArgument, CaseIterable {
  case qiu, ristretto
  case `static`
  case affine

  /// The fixed-point calibration method; `nil` for affine.
  var calibration: CalibrationMethod? {
    switch self {
    case .qiu: .qiu
    case .ristretto: .ristretto
    case .static: .static
    case .affine: nil
    }
  }
}

/// `edgesim quantize`: choose fixed-point formats and write a precision file.
struct Quantize: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Choose per-layer fixed-point formats from data and write a precision file.",
    discussion: """
      Calibrates the model on --data (dynamic fixed point; see \
      Documentation/Quantization.md) and writes the precision YAML that run \
      and simulate read. Methods: qiu (Qiu et \
      al.: weight phase per layer, then the greedy data phase in forward \
      order; the default), ristretto (the integer-length rule), static (one \
      fl shared by every tensor). Arithmetic follows the specification's defaults \
      (halfUp requantization, saturate, bias on the accumulator grid). It \
      then runs the plan bit-accurately on every sample of --data and prints \
      per layer the formats chosen, the end-to-end SQNR and the overflow \
      events, and float vs fixed top-1 with --labels.

      --method affine writes instead a QDQ ONNX model (--out q.onnx) in the \
      affine format of ONNX's QuantizeLinear/DequantizeLinear, as \
      onnxruntime's quantize_static does with MinMax calibration: int8 \
      symmetric weights (--per-channel, else per tensor), int32 biases, and \
      --activation-type uint8 (default) or int8 asymmetric activations from \
      the min/max over --data; --bits must be 8. edgesim run executes the \
      model bit-exactly as onnxruntime does (Documentation/Quantization.md, \
      "Affine integers"), so the two formats can be compared on one model.

      Widths: --bits sets the activations' (and the input's) widths and, \
      unless --weight-bits is given, the weights' too. Either takes a number \
      (8) or KEY=BITS entries separated by commas, where KEY is, by \
      precedence: a layer (node name /conv1/Conv, or its short name conv1); \
      an operator group: conv (Conv, depthwise included), fc (Gemm and \
      MatMul), gemm, matmul, add, mul, pool (AveragePool, \
      GlobalAveragePool), concat; or * (every other layer; required). Widths \
      are 2 to 32.

      Example:
        edgesim quantize --model Workloads/digits/digits-plain.onnx \\
          --data Workloads/digits/test-images.npy --labels Workloads/digits/test-labels.npy \\
          --bits 8 --out p8.yaml
        edgesim quantize --model Workloads/digits/digits-plain.onnx --data Workloads/digits/test-images.npy --bits 8 --weight-bits conv=8,fc=4,*=8 --out p84.yaml
        edgesim quantize --model Workloads/digits/digits-plain.onnx --data Workloads/digits/test-images.npy --bits conv1=16,*=8 --method ristretto --out p.yaml --json
        edgesim quantize --model Workloads/digits/digits-plain.onnx --data Workloads/digits/test-images.npy --bits 8 --method affine --per-channel --out q.onnx
      """)

  @Option(
    help: "The model (.onnx or .yaml) with its weights.",
    completion: .file(extensions: ["onnx", "yaml", "yml"]))
  var model: String

  @Option(
    help: "Calibration samples: a float32 .npy [N, …].",
    completion: .file(extensions: ["npy"]))
  var data: String

  @OptionGroup var labelsOption: LabelsOption
  var labels: String? { labelsOption.labels }

  @Option(help: "Activation (and weight) widths: 8, or KEY=BITS,… (see above).")
  var bits: String

  @Option(help: "Weight widths, same syntax (default: --bits).")
  var weightBits: String?

  @Option(help: "qiu, ristretto, static, or affine (a QDQ ONNX model).")
  var method: QuantizeMethod = .qiu

  @Flag(help: "With --method affine: weight scales per output channel.")
  var perChannel = false

  @Option(help: "With --method affine: uint8 or int8 activations.")
  var activationType: String = "uint8"

  @Option(
    help:
      "float (islands, the default) or integer (I-BERT integer kernels for softmax, sigmoid, tanh, GELU, erf, exp, LayerNorm, LSTM, GRU; written as 'nonlinear: integer')."
  )
  var nonlinear: NonlinearArithmetic = .float

  @Option(
    help:
      "Calibrate on the first N samples of --data only (statistics use all).")
  var calibrationSamples: Int?

  @Option(
    help:
      "The precision file to write (.yaml; - for standard output, the table then goes to standard error).",
    completion: .file(extensions: ["yaml", "yml"]))
  var out: String

  @OptionGroup var format: OutputOptions

  func validate() throws {
    if method == .affine {
      guard bits == "8", weightBits == nil || weightBits == "8" else {
        throw ValidationError(
          "--method affine quantizes to 8 bits: use --bits 8 (affine int8/uint8)."
        )
      }
      guard ["uint8", "int8"].contains(activationType) else {
        throw ValidationError("--activation-type must be uint8 or int8.")
      }
      if calibrationSamples != nil {
        throw ValidationError(
          "--calibration-samples is for the fixed-point methods; --method affine calibrates on all of --data."
        )
      }
      if nonlinear == .integer {
        throw ValidationError(
          "--nonlinear integer is for the fixed-point methods; an affine QDQ model runs its non-linear functions as onnxruntime does."
        )
      }
    } else if perChannel || activationType != "uint8" {
      throw ValidationError(
        "--per-channel and --activation-type go with --method affine.")
    }
    if let calibrationSamples, calibrationSamples < 1 {
      throw ValidationError("--calibration-samples must be at least 1.")
    }
    do throws(BitWidthSpecification.ParseError) {
      _ = try BitWidthSpecification(parsing: bits, option: "--bits")
      if let weightBits {
        _ = try BitWidthSpecification(
          parsing: weightBits, option: "--weight-bits")
      }
    } catch {
      throw ValidationError(error.description)
    }
  }

  func run() throws {
    var printer = DiagnosticPrinter()
    if method == .affine {
      let options = AffineCalibration.Options(
        perChannel: perChannel,
        activationType: activationType == "int8" ? .int8 : .uint8)
      let outcome = try AffineQuantization.run(
        model: model, data: data, labels: labels, out: out, options: options,
        printer: &printer)
      Terminal.results(
        AffineQuantization.render(
          outcome, options: options, out: out, json: format.json),
        standardOutputTaken: false)
      return
    }
    let method = self.method.calibration ?? .qiu
    do throws(CommandFailure) {
      var warnings: [Diagnostic] = []
      var (network, classes) = try ExecutionInputs.model(
        model, warnings: &warnings)
      let samples = try ExecutionInputs.samples(
        data, for: network, option: "--data", warnings: &warnings)
      if let folded = network.foldedBatch, let count = samples.shape.first,
        count != folded
      {
        // Shape computations folded at import hold the batch they were
        // folded at, and calibration runs the whole batch: import the
        // model again at the batch's size.
        if let calibrationSamples, calibrationSamples < count {
          throw CommandFailure(
            .error(
              "--calibration-samples \(calibrationSamples) would run part of the batch, "
                + "but the model's shape computations are folded at one batch size",
              at: SourceLocation(file: model),
              hint: "give only the calibration samples in --data"))
        }
        var again: [Diagnostic] = []
        (network, classes) = try ExecutionInputs.model(
          model, warnings: &again, batch: count)
      }
      let labelValues = try labels.map { path throws(CommandFailure) in
        try ExecutionInputs.labels(
          path, samples: samples.shape.first ?? 0, classes: classes)
      }
      let configuration = try calibrationConfiguration(for: network)
      try OutputPath.check([(out, "--out", .file)])
      printer.print(warnings)
      let outcome = try Quantization.run(
        network: network, data: samples, labels: labelValues,
        configuration: configuration,
        calibrationSamples: calibrationSamples,
        concurrency: ProcessInfo.processInfo.activeProcessorCount, model: model
      )
      let text = try Quantization.render(
        outcome.calibration.plan, fileName: out)
      do throws(FileIO.WriteFailure) {
        try FileIO.writeAtomically(Data(text.utf8), to: out)
      } catch {
        throw CommandFailure(
          .error(
            "cannot write the precision file: \(error.reason)",
            at: SourceLocation(file: out)))
      }
      Terminal.results(
        format.json
          ? QuantizeReport.json(outcome, method: method, out: out)
          : QuantizeReport.table(outcome, method: method, out: out),
        standardOutputTaken: out == OutputPath.standardOutput)
    } catch {
      throw error.print(with: &printer)
    }
  }

  /// The calibration's widths from `--bits` and `--weight-bits`.
  func calibrationConfiguration(for network: Network) throws(CommandFailure)
    -> CalibrationConfiguration
  {
    let activation: BitWidthSpecification
    let weight: BitWidthSpecification
    do throws(BitWidthSpecification.ParseError) {
      activation = try BitWidthSpecification(parsing: bits, option: "--bits")
      weight =
        try weightBits.map { text throws(BitWidthSpecification.ParseError) in
          try BitWidthSpecification(parsing: text, option: "--weight-bits")
        } ?? activation
    } catch {
      throw CommandFailure(
        .error(error.description, at: nil), status: EdgeSimMain.usage)
    }
    let activations = try activation.widths(for: network, option: "--bits")
    let weights = try weight.widths(
      for: network, option: weightBits == nil ? "--bits" : "--weight-bits")
    var layerBits: [String: LayerBits] = [:]
    for name in Set(activations.keys).union(weights.keys) {
      layerBits[name] = LayerBits(
        weight: weights[name], activation: activations[name])
    }
    var configuration = CalibrationConfiguration(
      method: method.calibration ?? .qiu, weightBits: weight.fallback,
      activationBits: activation.fallback,
      layerBits: layerBits)
    if nonlinear == .integer { configuration.arithmetic.nonlinear = .integer }
    return configuration
  }
}
