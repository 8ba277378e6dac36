import ArgumentParser
import Diagnostics
import Evaluation
import Foundation
import HardwareModel
import NetworkGraph
import PrecisionModel
import Simulation
import SpecFormats

/// `simulate`'s files, read and checked: the evaluation to run, and the
/// names the report shows.
struct SimulationInputs {
  /// The evaluation of the model on the device.
  var request: EvaluationRequest
  /// The model's file (or bundled name's file).
  var modelFile: String

  /// Reads every file the options name, printing warnings as it goes.
  ///
  /// - Throws: `ExitCode` after printing why a file cannot be used.
  static func load(
    _ options: SimulationInputOptions, printer: inout DiagnosticPrinter
  ) throws -> SimulationInputs {
    let device = try loadDevice(options.hardwareName, printer: &printer)
    let (modelFile, modelBytes): (String, [UInt8])
    switch Bundled.workload(options.modelName) {
    case .success(let found): (modelFile, modelBytes) = found
    case .failure(let d): throw stop([d], printer: &printer)
    }
    let (loaded, modelDiagnostics, text) = ModelLoader.load(
      fileName: modelFile, bytes: modelBytes, batch: nil,
      dimensions: options.dimensions.values)
    if let text { printer.sources[modelFile] = text }
    guard let loaded else { throw stop(modelDiagnostics, printer: &printer) }
    printer.print(modelDiagnostics)

    var simulation = SimulationOptions()
    // The simulator multiplies the batch loop itself and reports energy per
    // inference.
    simulation.batch = options.batch ?? 1
    simulation.inference = options.cold ? .cold : .steadyState
    simulation.weightsPreloaded = options.weightsPreloaded
    simulation.keepOutputsOnChip = !options.noResidency
    simulation.searchesAhead =
      (options.searchThreads
        ?? min(2, ProcessInfo.processInfo.activeProcessorCount)) > 1
    let (choice, resolved) = try precisionChoice(
      options.precision, for: loaded.network, printer: &printer)
    simulation.precision = choice
    // The samples of --data, loaded once for the densities and accuracy.
    var data: EvaluationData?
    if let samples = options.data {
      do throws(CommandFailure) {
        var warnings: [Diagnostic] = []
        let (network, classes) = try ExecutionInputs.executable(
          loaded, diagnostics: modelDiagnostics, path: modelFile,
          sources: text.map { [modelFile: $0] } ?? [:], warnings: &warnings)
        let values = try ExecutionInputs.samples(
          samples, for: network, option: "--data", warnings: &warnings)
        let labels = try options.labels.labels.map {
          path throws(CommandFailure) in
          try ExecutionInputs.labels(
            path, samples: values.shape.first ?? 0, classes: classes)
        }
        data = EvaluationData(network: network, samples: values, labels: labels)
      } catch {
        for (file, source) in error.sources { printer.sources[file] = source }
        throw stop(error.diagnostics, printer: &printer)
      }
    }
    let coding = try compressionChoice(
      options.compression, for: loaded.network, model: modelFile,
      hasData: data != nil, printer: &printer)
    simulation.compression = coding?.compression
    var request = EvaluationRequest(
      network: loaded.network, device: device, options: simulation,
      resolved: resolved, data: data,
      measuresActivationDensities: coding?.measured ?? false,
      concurrency: ProcessInfo.processInfo.activeProcessorCount)
    // The loader inferred the shapes of this very network.
    request.shapes = loaded.shapes
    return SimulationInputs(request: request, modelFile: modelFile)
  }

  /// Prints the diagnostics and returns the exit to throw.
  static func stop(
    _ diagnostics: [Diagnostic], printer: inout DiagnosticPrinter
  )
    -> ExitCode
  {
    printer.print(diagnostics)
    return ExitCode(EdgeSimMain.failure)
  }

  /// `--hardware`: a device file or a bundled device.
  static func loadDevice(_ argument: String, printer: inout DiagnosticPrinter)
    throws -> Device
  {
    let (file, bytes): (String, [UInt8])
    switch Bundled.hardware(argument) {
    case .success(let found): (file, bytes) = found
    case .failure(let d): throw stop([d], printer: &printer)
    }
    printer.sources[file] = String(
      decoding: bytes.prefix(4 << 20), as: UTF8.self)
    let result = HardwareLoader.read(bytes: bytes, fileName: file)
    guard var device = result.value else {
      throw stop(result.diagnostics, printer: &printer)
    }
    printer.print(result.diagnostics)
    if var partition = device.host {
      partition.hostDevice = HostDevice(
        try loadHost(partition.hostName, beside: file, printer: &printer))
      device.host = partition
    }
    return device
  }

  /// A device's host (`host: {device: NAME}`): `NAME.yaml` beside the
  /// device's own file when there is one, else the bundled device `NAME`.
  static func loadHost(
    _ name: String, beside file: String, printer: inout DiagnosticPrinter
  ) throws -> Device {
    let folder = (file as NSString).deletingLastPathComponent
    let sibling = (folder as NSString).appendingPathComponent(name + ".yaml")
    let argument =
      file.contains("/") && FileManager.default.fileExists(atPath: sibling)
      ? sibling : name
    let (hostFile, bytes): (String, [UInt8])
    switch Bundled.hardware(argument) {
    case .success(let found): (hostFile, bytes) = found
    case .failure(let d): throw stop([d], printer: &printer)
    }
    printer.sources[hostFile] = String(
      decoding: bytes.prefix(4 << 20), as: UTF8.self)
    let result = HardwareLoader.read(bytes: bytes, fileName: hostFile)
    guard let host = result.value else {
      throw stop(result.diagnostics, printer: &printer)
    }
    printer.print(result.diagnostics)
    return host
  }

  /// `--precision`: a shorthand, or a precision file resolved against the
  /// network into per-layer operand widths.
  static func precisionChoice(
    _ precision: String?, for network: Network,
    printer: inout DiagnosticPrinter
  ) throws -> (PrecisionChoice, ResolvedPrecision?) {
    guard let precision else { return (.native, nil) }
    if let shorthand = Precision(rawValue: precision) {
      return (.uniform(shorthand), nil)
    }
    guard Bundled.isPath(precision) else {
      throw stop(
        [
          .error(
            "'\(precision)' is neither a precision nor a file", at: nil,
            hint: Suggestions.hint(
              for: precision, among: Precision.allCases.map(\.rawValue))
              + ", or a precision .yaml file")
        ], printer: &printer)
    }
    let resolved: ResolvedPrecision
    do throws(CommandFailure) {
      let file = try PrecisionFile.resolve(precision, for: network)
      printer.print(file.warnings)
      resolved = file.precision
    } catch {
      throw error.print(with: &printer)
    }
    return (PrecisionWidths.choice(resolved, network: network), resolved)
  }

  /// `--compression`: a DRAM-coding file, its layer names checked against
  /// the network, and whether its activation densities are to be measured
  /// (which needs `--data`).
  static func compressionChoice(
    _ compression: String?, for network: Network, model: String,
    hasData: Bool, printer: inout DiagnosticPrinter
  ) throws -> (compression: DRAMCompression, measured: Bool)? {
    guard let compression else { return nil }
    let bytes = try printer.read(compression)
    let result = CompressionReader.read(bytes: bytes, fileName: compression)
    guard let file = result.value else {
      throw stop(result.diagnostics, printer: &printer)
    }
    printer.print(result.diagnostics)
    let known = Set(network.nodes.map(\.name)).union(
      network.inputs.map(\.name))
    let unknown = file.unknownNames(
      known: known, model: network.name.isEmpty ? model : network.name)
    if !unknown.isEmpty { throw stop(unknown, printer: &printer) }
    let measured =
      file.measuredDensity != nil && file.compression.activations != nil
    if measured, !hasData, let location = file.measuredDensity {
      throw stop(
        [
          .error(
            "'activations.density: measured' needs samples to measure on",
            at: location,
            hint:
              "add --data X.npy (the model needs its weights), or write a density such as 0.5"
          )
        ], printer: &printer)
    }
    return (file.compression, measured)
  }
}

extension SimulationInputs {
  /// What to try when the run is infeasible: a precision the device
  /// computes when the one asked for is not among them, else room.
  var infeasibleHint: String {
    let compute = request.device.compute
    let asked: Precision?
    switch request.options.precision {
    case .uniform(let p): asked = p
    case .native: asked = compute.nativePrecision
    case .perLayer: asked = nil
    }
    if let asked, !compute.precisions.contains(asked) {
      let runs = compute.precisions.map(\.rawValue).joined(separator: ", ")
      return
        "\(request.device.name) computes \(runs.isEmpty ? "no listed precision" : runs); pass one with --precision"
    }
    return request.options.batch > 1
      ? "try a smaller batch, a narrower precision (--precision), or a device with more memory"
      : "try a narrower precision (--precision) or a device with more memory"
  }

  /// Runs the evaluation; a model that cannot run on the device, or that
  /// the executors refuse, is a failure naming why.
  func evaluate() throws(CommandFailure) -> EvaluationOutcome {
    switch Evaluator.evaluate(request) {
    case .success(let outcome): return outcome
    case .failure(.infeasible(let reason, let layer)):
      let place = layer.map { " (layer '\($0)')" } ?? ""
      let name = request.network.name.isEmpty ? modelFile : request.network.name
      throw CommandFailure(
        .error(
          "\(name) cannot run on \(request.device.name)\(place): \(reason)",
          at: nil, hint: infeasibleHint))
    case .failure(.execution(let error)):
      throw CommandFailure(
        .error("\(error)", at: SourceLocation(file: modelFile)))
    case .failure(.noSamplesToMeasure):
      throw CommandFailure([])
    case .failure(.accuracy(let problem)):
      throw CommandFailure(
        .error(
          "accuracy: \(problem.message)", at: SourceLocation(file: modelFile)))
    }
  }
}
