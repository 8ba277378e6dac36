import ArgumentParser
import Diagnostics
import HardwareModel
import NetworkGraph
import Simulation
import SpecFormats

/// `simulate` and `inspect` of an LLM workload (a YAML file with a
/// `decoder:` block): prefill and decode, reported per phase.
struct LLMWorkload {
  var spec: DecoderSpec
  var file: String

  /// The LLM workload the model argument names, or `nil` when it is some
  /// other model (then the ordinary path reads it).
  static func load(_ argument: String, printer: inout DiagnosticPrinter)
    throws -> LLMWorkload?
  {
    let lower = argument.lowercased()
    guard lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") else {
      return nil
    }
    guard case .success(let (file, bytes)) = Bundled.workload(argument),
      DecoderWorkloadReader.isDecoderWorkload(bytes: bytes)
    else { return nil }
    printer.sources[file] = String(
      decoding: bytes.prefix(4 << 20), as: UTF8.self)
    let result = DecoderWorkloadReader.read(bytes: bytes, fileName: file)
    guard let spec = result.value else {
      printer.print(result.diagnostics)
      throw ExitCode(EdgeSimMain.failure)
    }
    printer.print(result.diagnostics)
    return LLMWorkload(spec: spec, file: file)
  }

  /// Applies `--prompt` and `--generate` to the file's lengths.
  ///
  /// - Throws: `ExitCode` after printing why the lengths do not fit the
  ///   model's context.
  mutating func override(
    _ options: DecoderOptions, printer: inout DiagnosticPrinter
  ) throws {
    spec.prompt = options.prompt ?? spec.prompt
    spec.generate = options.generate ?? spec.generate
    let problems = spec.problems
    guard problems.isEmpty else {
      printer.print(
        problems.map {
          .error(
            "\(options.given.joined(separator: " and ")): \($0.message)",
            at: SourceLocation(file: file),
            hint: "prompt and generated tokens together must fit the context")
        })
      throw ExitCode(EdgeSimMain.failure)
    }
  }

  /// The options `simulate` cannot apply to an LLM workload.
  static func refused(_ options: SimulationInputOptions) -> [String] {
    var refused: [String] = []
    if options.precision != nil { refused.append("--precision") }
    if options.compression != nil { refused.append("--compression") }
    if options.data != nil { refused.append("--data") }
    if options.labels.labels != nil { refused.append("--labels") }
    if options.batch != nil { refused.append("--batch") }
    if !options.dimensions.dim.isEmpty { refused.append("--dim") }
    return refused
  }

  /// `edgesim simulate` of the workload.
  func simulate(
    _ options: SimulationInputOptions, json: Bool,
    printer: inout DiagnosticPrinter
  ) throws {
    let refused = Self.refused(options)
    if !refused.isEmpty {
      printer.print([
        .error(
          "\(refused.joined(separator: ", ")) cannot be used with an LLM workload",
          at: SourceLocation(file: file),
          hint:
            "an LLM workload states its widths in its 'precision:' block and runs one sequence"
        )
      ])
      throw ExitCode(EdgeSimMain.failure)
    }
    let device = try SimulationInputs.loadDevice(
      options.hardwareName, printer: &printer)
    var simulation = SimulationOptions()
    simulation.inference = options.cold ? .cold : .steadyState
    simulation.weightsPreloaded = options.weightsPreloaded
    simulation.keepOutputsOnChip = !options.noResidency
    switch DecoderSimulation.run(spec, on: device, options: simulation) {
    case .failure(let failure):
      let place = failure.layer.map { " (layer '\($0)')" } ?? ""
      printer.print([
        .error(
          "\(spec.name) cannot run on \(device.name)\(place): \(failure.reason)",
          at: SourceLocation(file: file),
          hint:
            "check the device's precisions against the workload's 'precision:' block"
        )
      ])
      throw ExitCode(EdgeSimMain.failure)
    case .success(let outcome):
      Terminal.standardOutput(
        json
          ? LLMReport.json(outcome, device: device) + "\n"
          : LLMReport.text(outcome, device: device))
    }
  }

  /// `edgesim inspect` of the workload: parameters and MACs per token.
  func inspect(json: Bool) throws(NetworkError) -> String {
    let prefill = try DecoderNetwork.build(
      spec, tokens: spec.prompt, cached: 0
    ).counts()
    let first = try DecoderNetwork.build(
      spec, tokens: 1, cached: spec.prompt
    ).counts()
    let lastCached = spec.prompt + max(0, spec.generate - 1)
    let last = try DecoderNetwork.build(spec, tokens: 1, cached: lastCached)
      .counts()
    return LLMReport.inspect(
      spec, prefill: prefill.total, first: first.total, last: last.total,
      json: json)
  }
}
