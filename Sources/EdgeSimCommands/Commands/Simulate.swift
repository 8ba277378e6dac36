import ArgumentParser
import Diagnostics
import Evaluation
import Foundation
import HardwareModel
import NetworkGraph
import PrecisionModel
import Simulation
import SpecFormats
import TraceFormats

/// `edgesim simulate`: latency, energy and bottlenecks of a model on a device.
struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Simulate a model on a device: per-layer cycles, time, bound, DRAM traffic and energy.",
    discussion: """
      Maps every layer onto the device (tiling to fit on-chip buffers, DMA and \
      compute overlapped with double buffering, bandwidth stalls) and accounts \
      energy for MACs, on-chip accesses, DRAM and leakage. Devices and models \
      are files, or the names of bundled ones (edgesim devices; Workloads/). \
      With no arguments it runs the bundled default. A trace (summary.json, \
      layers.csv and a Chrome trace.json that opens in Perfetto) is written \
      to --trace, by default Traces/<model>-<device>/.

      Example:
        edgesim simulate
        edgesim simulate --hardware eyeriss-v1 --model alexnet
        edgesim simulate --hardware Hardware/pixel3-cpu.yaml --model mobilenet_v1 --precision int8
        edgesim simulate --hardware my.cfg --model layers.csv --precision p.yaml --json
        edgesim simulate --hardware eyeriss-v1 --model alexnet --compression Workloads/compression/alexnet-deep-compression.yaml
      """)

  @Option(help: "Device: a .yaml/.cfg file or a bundled name.")
  var hardware = "systolic-32x32"

  @Option(help: "Model: an .onnx, .yaml or .csv file, or a bundled name.")
  var model = "mobilenet_v2"

  @Option(
    help:
      "int4, int8, int16, fp16, fp32, or a precision file (.yaml); default: the device's native precision."
  )
  var precision: String?

  @Option(
    help: ArgumentHelp(
      "A DRAM-coding file (.yaml): pruned and weight-shared weights, run-length coded activations.",
      discussion: "See Documentation/Compression.md.",
      valueName: "file"))
  var compression: String?

  @Option(
    help: ArgumentHelp(
      "Samples (.npy, [N, …]) to measure the accuracy of the same precision on (the model needs its weights).",
      valueName: "file"))
  var data: String?

  @Option(
    help: ArgumentHelp(
      "Class labels (.npy integers, one per sample of --data) for top-1 and top-5.",
      valueName: "file"))
  var labels: String?

  @Option(help: "Batch size (default 1).")
  var batch: Int?

  @Option(help: "Folder for the trace files (default Traces/<model>-<device>).")
  var trace: String?

  @Flag(help: "Do not write a trace.")
  var noTrace = false

  @Flag(
    help:
      "Weights stay on chip across inferences (the Edge TPU's parameter cache)."
  )
  var weightsPreloaded = false

  @Flag(help: "Print the summary as JSON on standard output.")
  var json = false

  func validate() throws {
    if let batch, batch < 1 || batch > 1 << 16 {
      throw ValidationError("--batch must be from 1 to \(1 << 16).")
    }
    if noTrace, trace != nil {
      throw ValidationError("--trace and --no-trace contradict each other.")
    }
    if labels != nil, data == nil {
      throw ValidationError("--labels needs --data (the samples they label).")
    }
  }

  func run() throws {
    var printer = DiagnosticPrinter()
    func fail(_ diagnostics: [Diagnostic]) -> ExitCode {
      printer.print(diagnostics)
      return ExitCode(EdgeSimMain.failure)
    }
    // The device.
    let (deviceFile, deviceBytes): (String, [UInt8])
    switch Bundled.hardware(hardware) {
    case .success(let found): (deviceFile, deviceBytes) = found
    case .failure(let d): throw fail([d])
    }
    printer.sources[deviceFile] = String(
      decoding: deviceBytes.prefix(4 << 20), as: UTF8.self)
    let deviceResult = HardwareLoader.read(
      bytes: deviceBytes, fileName: deviceFile)
    guard let device = deviceResult.value else {
      throw fail(deviceResult.diagnostics)
    }
    printer.print(deviceResult.diagnostics)
    // The model.
    let (modelFile, modelBytes): (String, [UInt8])
    switch Bundled.workload(model) {
    case .success(let found): (modelFile, modelBytes) = found
    case .failure(let d): throw fail([d])
    }
    let (loaded, modelDiagnostics, text) = ModelLoader.load(
      fileName: modelFile, bytes: modelBytes, batch: nil)
    if let text { printer.sources[modelFile] = text }
    guard let loaded else { throw fail(modelDiagnostics) }
    printer.print(modelDiagnostics)
    // The precision.
    var options = SimulationOptions()
    // The simulator multiplies the batch loop itself and reports energy per
    // inference.
    options.batch = batch ?? 1
    options.weightsPreloaded = weightsPreloaded
    let (choice, resolved) = try precisionChoice(
      for: loaded.network, printer: &printer)
    options.precision = choice
    // The samples of --data, loaded once for the densities and accuracy.
    var execution: EvaluationData?
    if let data {
      do {
        var warnings: [Diagnostic] = []
        let (network, classes) = try ExecutionInputs.executable(
          loaded, diagnostics: modelDiagnostics, path: modelFile,
          sources: text.map { [modelFile: $0] } ?? [:], warnings: &warnings)
        let samples = try ExecutionInputs.samples(
          data, for: network, option: "--data", warnings: &warnings)
        let labelValues = try labels.map { path throws(CommandFailure) in
          try ExecutionInputs.labels(
            path, samples: samples.shape.first ?? 0, classes: classes)
        }
        execution = EvaluationData(
          network: network, samples: samples, labels: labelValues)
      } catch {
        for (file, source) in error.sources { printer.sources[file] = source }
        throw fail(error.diagnostics)
      }
    }
    let coding = try compressionChoice(
      for: loaded.network, model: modelFile, hasData: execution != nil,
      printer: &printer)
    options.compression = coding?.compression

    // Every input is read: refuse a trace folder that would replace one,
    // before simulating.
    if let trace, !noTrace {
      do throws(CommandFailure) {
        try TraceFolder.check(trace)
      } catch {
        throw error.print(with: &printer)
      }
    }
    let request = EvaluationRequest(
      network: loaded.network, device: device, options: options,
      resolved: resolved, data: execution,
      measuresActivationDensities: coding?.measured ?? false,
      concurrency: ProcessInfo.processInfo.activeProcessorCount)
    let summary: RunSummary
    let events: [TraceEvent]
    let accuracy: MeasuredAccuracy?
    switch Evaluator.evaluate(request) {
    case .success(let outcome):
      (summary, events, accuracy) =
        (outcome.summary, outcome.events, outcome.accuracy)
    case .failure(.infeasible(let reason, let layer)):
      let place = layer.map { " (layer '\($0)')" } ?? ""
      throw fail([
        .error(
          "\(loaded.network.name.isEmpty ? modelFile : loaded.network.name) cannot run on \(device.name)\(place): \(reason)",
          at: nil,
          hint:
            "try another precision (--precision), a larger device, or a smaller batch"
        )
      ])
    case .failure(.execution(let error)):
      throw fail([.error("\(error)", at: SourceLocation(file: modelFile))])
    case .failure(.noSamplesToMeasure):
      throw ExitCode(EdgeSimMain.failure)
    }
    // summary.json's text, built only when a trace or --json needs it.
    func summaryText() -> String {
      var summaryJSON = SummaryJSON.value(summary)
      if let accuracy, case .object(var fields) = summaryJSON {
        fields["accuracy"] = accuracy.json
        summaryJSON = .object(fields)
      }
      return summaryJSON.rendered + "\n"
    }
    if !noTrace {
      let folder =
        trace
        ?? "Traces/\(Self.slug(summary.model.isEmpty ? model : summary.model))-\(Self.slug(device.name))"
      do throws(CommandFailure) {
        try TraceFolder.write(
          summary: summaryText(),
          layers: LayersCSV.render(summary),
          trace: ChromeTrace.render(summary, events: events), to: folder)
      } catch {
        throw error.print(with: &printer)
      }
      if !json {
        Terminal.standardError(
          "trace written to \(folder)/ (summary.json, layers.csv, trace.json)")
      }
    }
    if json {
      Terminal.standardOutput(summaryText())
    } else {
      Terminal.standardOutput(SimulationReport.render(summary, device: device))
      if let accuracy { Terminal.standardOutput(accuracy.line + "\n") }
    }
  }

  /// `--precision`: a shorthand, or a precision file resolved against the
  /// network into per-layer operand widths.
  func precisionChoice(for network: Network, printer: inout DiagnosticPrinter)
    throws -> (PrecisionChoice, ResolvedPrecision?)
  {
    guard let precision else { return (.native, nil) }
    if let shorthand = Precision(rawValue: precision) {
      return (.uniform(shorthand), nil)
    }
    guard Bundled.isPath(precision) else {
      printer.print([
        .error(
          "'\(precision)' is neither a precision nor a file", at: nil,
          hint: Suggestions.hint(
            for: precision, among: Precision.allCases.map(\.rawValue))
            + ", or a precision .yaml file")
      ])
      throw ExitCode(EdgeSimMain.failure)
    }
    let bytes = try printer.read(precision)
    let result = PrecisionReader.read(bytes: bytes, fileName: precision)
    guard let plan = result.value else {
      printer.print(result.diagnostics)
      throw ExitCode(EdgeSimMain.failure)
    }
    let resolved: ResolvedPrecision
    do {
      resolved = try plan.resolve(for: network)
    } catch {
      if case .invalidPrecision(let problems) = error {
        printer.print(
          PrecisionReader.locate(problems, in: plan, fileName: precision))
      } else {
        printer.print([.error("\(error)", at: SourceLocation(file: precision))])
      }
      throw ExitCode(EdgeSimMain.failure)
    }
    return (PrecisionWidths.choice(resolved, network: network), resolved)
  }

  /// `--compression`: a DRAM-coding file, its layer names checked against
  /// the network, and whether its activation densities are to be measured
  /// (which needs `--data`).
  func compressionChoice(
    for network: Network, model: String, hasData: Bool,
    printer: inout DiagnosticPrinter
  ) throws -> (compression: DRAMCompression, measured: Bool)? {
    guard let compression else { return nil }
    let bytes = try printer.read(compression)
    let result = CompressionReader.read(bytes: bytes, fileName: compression)
    guard let file = result.value else {
      printer.print(result.diagnostics)
      throw ExitCode(EdgeSimMain.failure)
    }
    printer.print(result.diagnostics)
    let known = Set(network.nodes.map(\.name)).union(
      network.inputs.map(\.name))
    let unknown = file.unknownNames(
      known: known, model: network.name.isEmpty ? model : network.name)
    if !unknown.isEmpty {
      printer.print(unknown)
      throw ExitCode(EdgeSimMain.failure)
    }
    let measured =
      file.measuredDensity != nil && file.compression.activations != nil
    if measured, !hasData, let location = file.measuredDensity {
      printer.print([
        .error(
          "'activations.density: measured' needs samples to measure on",
          at: location,
          hint:
            "add --data X.npy (the model needs its weights), or write a density such as 0.5"
        )
      ])
      throw ExitCode(EdgeSimMain.failure)
    }
    return (file.compression, measured)
  }

  static func slug(_ text: String) -> String {
    String(
      text.map {
        $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "."
          ? $0 : "_"
      })
  }
}
