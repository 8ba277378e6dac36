import ArgumentParser
import Diagnostics
import HardwareModel
import NetworkGraph
import ONNXImport
import Simulation

/// `simulate --prompt N` of an exported ONNX decoder with a KV cache:
/// prefill and decode, each pass imported with its sequence and cache
/// lengths bound, simulated as written, reported like an LLM workload.
struct ONNXDecoderWorkload {
  var file: String
  var bytes: [UInt8]
  var interface: DecoderInterface

  /// Tokens generated when `--generate` is not given.
  static let defaultGenerate = 32

  /// Reads the model's declared interface and finds its decoder roles.
  static func load(
    _ file: String, bytes: [UInt8], printer: inout DiagnosticPrinter
  )
    throws -> ONNXDecoderWorkload
  {
    let declared = ONNXImporter.interface(bytes: bytes, fileName: file)
    printer.print(declared.diagnostics)
    guard let interface = declared.value else {
      throw ExitCode(EdgeSimMain.failure)
    }
    switch DecoderInterface.find(
      inputs: interface.inputs, outputs: interface.outputs)
    {
    case .failure(let failure):
      printer.print([
        .error(
          "--prompt simulates an LLM decoder, but \(failure.reason)",
          at: SourceLocation(file: file), hint: failure.hint)
      ])
      throw ExitCode(EdgeSimMain.failure)
    case .success(let roles):
      return ONNXDecoderWorkload(file: file, bytes: bytes, interface: roles)
    }
  }

  /// `edgesim simulate` of the decoder.
  func simulate(
    _ options: SimulationInputOptions, prompt: Int, generate: Int?, json: Bool,
    printer: inout DiagnosticPrinter
  ) throws {
    var refused: [String] = []
    if options.compression != nil { refused.append("--compression") }
    if options.data != nil { refused.append("--data") }
    if options.labels.labels != nil { refused.append("--labels") }
    if options.batch != nil { refused.append("--batch") }
    let userDims = options.dimensions.values
    let roles =
      [interface.sequence, interface.past]
      + (interface.total.map { [$0] } ?? [])
    let clashing = roles.filter { userDims[$0] != nil }
    if !refused.isEmpty || !clashing.isEmpty {
      printer.print([
        .error(
          (refused.isEmpty
            ? ""
            : "\(refused.joined(separator: ", ")) cannot be used with an LLM decoder run; ")
            + (clashing.isEmpty
              ? ""
              : "--dim \(clashing.joined(separator: ", ")) is set by --prompt and --generate"),
          at: SourceLocation(file: file),
          hint:
            "an LLM run simulates one sequence: prefill of the prompt, then decode"
        )
      ])
      throw ExitCode(EdgeSimMain.failure)
    }
    let generate = generate ?? Self.defaultGenerate
    let device = try SimulationInputs.loadDevice(
      options.hardwareName, printer: &printer)
    var simulation = SimulationOptions()
    simulation.inference = options.cold ? .cold : .steadyState
    simulation.weightsPreloaded = options.weightsPreloaded
    simulation.keepOutputsOnChip = !options.noResidency

    // Every pass is imported anew with its lengths bound; the first decode
    // step, imported first, fixes the precision and the parameter count.
    var loadError: [Diagnostic] = []
    var sources: [String: String] = [:]
    func network(tokens: Int, cached: Int) -> Network? {
      var dims = userDims
      dims.merge(interface.bindings(tokens: tokens, cached: cached)) { $1 }
      let (loaded, diagnostics, text) = ModelLoader.load(
        fileName: file, bytes: bytes, batch: nil, dimensions: dims)
      if let text { sources[file] = text }
      guard let loaded else {
        loadError = diagnostics
        return nil
      }
      return loaded.network
    }
    guard let firstStep = network(tokens: 1, cached: prompt) else {
      for (f, s) in sources { printer.sources[f] = s }
      printer.print(loadError)
      throw ExitCode(EdgeSimMain.failure)
    }
    let parameters: Int
    do {
      parameters = try firstStep.counts().total.parameters
    } catch {
      printer.print([error.diagnostic(file: file)])
      throw ExitCode(EdgeSimMain.failure)
    }
    let (choice, _) = try SimulationInputs.precisionChoice(
      options.precision, for: firstStep, printer: &printer)
    simulation.precision = choice
    let name = ModelLoader.stem(file)
    var precisionName = ""
    var kvBytesPerToken = 0
    let outcome = DecoderSimulation.run(
      DecoderDescription(
        name: name, prompt: prompt, generate: generate, parameters: parameters,
        kvBytesPerToken: 0, precision: ""),
      prompt: prompt, generate: generate
    ) { tokens, cached in
      let pass =
        tokens == 1 && cached == prompt
        ? firstStep : network(tokens: tokens, cached: cached)
      guard let pass else {
        return .failure(
          DecoderSimulation.Failure(
            reason: loadError.map(\.message).joined(separator: "; "),
            layer: nil))
      }
      let phase = DecoderSimulation.phase(
        pass, interface: interface, name: name, tokens: tokens,
        cached: cached, on: device, options: simulation)
      if case .success(let p) = phase {
        precisionName = p.summary.precision
        if tokens == 1 {
          kvBytesPerToken = DecoderSimulation.cacheBytesPerToken(
            pass, interface: interface, summary: p.summary, total: cached + 1)
        }
      }
      return phase
    }
    switch outcome {
    case .failure(let failure):
      let place = failure.layer.map { " (layer '\($0)')" } ?? ""
      printer.print([
        .error(
          "\(name) cannot run on \(device.name)\(place): \(failure.reason)",
          at: SourceLocation(file: file),
          hint: "check the device's precisions and the model's operators")
      ])
      throw ExitCode(EdgeSimMain.failure)
    case .success(var result):
      result.description.kvBytesPerToken = kvBytesPerToken
      result.description.precision = precisionName
      Terminal.standardOutput(
        json
          ? LLMReport.json(result, device: device) + "\n"
          : LLMReport.text(result, device: device))
    }
  }
}
