import ArgumentParser
import Diagnostics
import Evaluation
import Foundation
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
        edgesim simulate --hardware Workloads/scalesim-parity/configs/ws8.cfg --model Workloads/scalesim/lenet5.csv --json
        edgesim simulate --hardware eyeriss-v1 --model alexnet --compression Workloads/compression/alexnet-deep-compression.yaml
        edgesim simulate --db results.sqlite --point 4cc688
        edgesim simulate --hardware pixel3-cpu --model Workloads/llm/llama-3.2-1b.yaml
        edgesim simulate --hardware pixel3-cpu --model Workloads/onnx/llm/llama-tiny-optimum.onnx --prompt 128 --generate 32

      An LLM workload (a YAML file with a decoder: block, \
      Documentation/WorkloadYAML.md) is simulated as prefill (the prompt at \
      once: time to first token) and decode (one token at a time over a KV \
      cache in DRAM: tokens per second, joules and DRAM bytes per token); its \
      widths come from its precision: block and no trace is written. An \
      exported ONNX decoder with a KV cache (inputs input_ids and \
      past_key_values.*, as optimum exports them) is simulated the same way \
      with --prompt N (and --generate M, default 32), each pass imported with \
      its lengths bound; --precision applies to it.

      With --db and --point, the point of a results file of edgesim sweep is \
      rebuilt from the sweep file the results file recorded (or --sweep): its \
      model, device with its overrides, precision and batch, simulated again \
      with a trace (default folder Traces/<model>-<device>-<id>). A warning \
      says when its totals differ from the stored ones (a model or device \
      file changed since) or another EdgeSim version evaluated it.
      """)

  @OptionGroup var inputs: SimulationInputOptions
  @OptionGroup var decoder: DecoderOptions
  @OptionGroup var sweepPoint: SweepPointOptions
  @OptionGroup var traceOptions: TraceOptions
  @OptionGroup var table: TableOptions
  @OptionGroup var format: OutputOptions

  func validate() throws {
    let given = inputs.givenInputs + decoder.given
    if sweepPoint.db != nil, !given.isEmpty {
      throw ValidationError(
        "--point simulates the point as the sweep evaluated it; drop \(given.joined(separator: ", "))."
      )
    }
  }

  func run() throws {
    if let db = sweepPoint.db, let point = sweepPoint.point {
      try SimulatePoint.run(
        db: db, reference: point, sweep: sweepPoint.sweep,
        trace: traceOptions, table: table, json: format.json)
      return
    }
    var printer = DiagnosticPrinter()
    // An LLM workload (a `decoder:` block): prefill and decode, no trace.
    if var llm = try LLMWorkload.load(inputs.modelName, printer: &printer) {
      try llm.override(decoder, printer: &printer)
      try llm.simulate(inputs, json: format.json, printer: &printer)
      return
    }
    // An exported decoder with a KV cache: the same, from ONNX.
    if let prompt = decoder.prompt,
      inputs.modelName.lowercased().hasSuffix(".onnx")
    {
      let (file, bytes): (String, [UInt8])
      switch Bundled.workload(inputs.modelName) {
      case .success(let found): (file, bytes) = found
      case .failure(let d):
        printer.print([d])
        throw ExitCode(EdgeSimMain.failure)
      }
      let workload = try ONNXDecoderWorkload.load(
        file, bytes: bytes, printer: &printer)
      try workload.simulate(
        inputs, prompt: prompt, generate: decoder.generate, json: format.json,
        printer: &printer)
      return
    }
    if !decoder.given.isEmpty {
      printer.print([
        .error(
          "\(decoder.given.joined(separator: " and ")) apply to an LLM decoder",
          at: SourceLocation(file: inputs.modelName),
          hint:
            "give an ONNX decoder with KV-cache inputs (past_key_values.*) or an LLM workload file (a decoder: block)"
        )
      ])
      throw ExitCode(EdgeSimMain.failure)
    }
    var loaded = try SimulationInputs.load(inputs, printer: &printer)
    // Events only go to the trace files.
    loaded.request.recordsTrace = !traceOptions.noTrace
    let outcome: EvaluationOutcome
    do throws(CommandFailure) {
      // Every input is read: refuse a trace folder that would replace one,
      // before simulating.
      try traceOptions.check()
      outcome = try loaded.evaluate()
    } catch {
      throw error.print(with: &printer)
    }
    let summaryText = { SimulationReport.json(outcome) }
    let folder: String?
    do throws(CommandFailure) {
      folder = try traceOptions.write(
        outcome.summary, events: outcome.events, summaryText: summaryText,
        inputs: inputs, device: loaded.request.device.name)
    } catch {
      throw error.print(with: &printer)
    }
    if format.json {
      Terminal.standardOutput(summaryText())
      return
    }
    TraceOptions.announce(folder)
    Terminal.standardOutput(
      SimulationReport.render(
        outcome.summary, device: loaded.request.device, table: table))
    if let accuracy = outcome.accuracy {
      Terminal.standardOutput(accuracy.line + "\n")
    }
  }
}
