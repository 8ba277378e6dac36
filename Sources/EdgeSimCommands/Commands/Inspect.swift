import ArgumentParser
import Diagnostics
import Foundation
import NetworkGraph

/// `edgesim inspect MODEL`: per-layer shapes and counts.
struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Show a model's layers: shapes, MACs, parameters, weight and activation bytes.",
    discussion: """
      Reads an ONNX model, an EdgeSim YAML layer list or a SCALE-Sim topology \
      CSV, folds batch-norm and removes identities as deployment does, and \
      prints one row per node with totals. Counting rules: \
      Documentation/Counting.md. A model whose external weights are missing \
      still works (only shapes are needed) with a warning.

      Example:
        edgesim inspect Workloads/resnet18.yaml
        edgesim inspect Workloads/onnx/torchvision/resnet18.onnx --json
        edgesim inspect Workloads/onnx/torchvision/mobilenet_v2.onnx --batch 8
        edgesim inspect Workloads/llm/llama-3.2-1b.yaml
        edgesim inspect Workloads/onnx/llm/tiny-llama.onnx --dim sequence_length=16 --dim past_sequence_length=0

      For an LLM workload (a decoder: block) it prints the parameters and \
      the MACs of prefill and per decoded token.
      """)

  @Argument(
    help: "The model (.onnx, .yaml or .csv).",
    completion: .file(extensions: ["onnx", "yaml", "yml", "csv"]))
  var model: String

  @Option(help: "Bind a symbolic batch dimension to N (default 1).")
  var batch: Int?

  @OptionGroup var dimensions: DimensionOptions

  @OptionGroup var format: OutputOptions

  func validate() throws {
    if let batch, batch < 1 || batch > 1 << 20 {
      throw ValidationError("--batch must be from 1 to \(1 << 20).")
    }
  }

  func run() throws {
    var llmPrinter = DiagnosticPrinter()
    if let llm = try LLMWorkload.load(model, printer: &llmPrinter) {
      if !dimensions.dim.isEmpty {
        llmPrinter.print([
          .error(
            "--dim cannot be used with an LLM workload",
            at: SourceLocation(file: model),
            hint: "its 'decoder:' block states the prompt and context lengths")
        ])
        throw ExitCode(EdgeSimMain.failure)
      }
      do throws(NetworkError) {
        Terminal.standardOutput(try llm.inspect(json: format.json))
      } catch {
        llmPrinter.print([error.diagnostic(file: model)])
        throw ExitCode(EdgeSimMain.failure)
      }
      return
    }
    let (loaded, diagnostics, text) = ModelLoader.load(
      model, batch: batch, dimensions: dimensions.values)
    var printer = DiagnosticPrinter()
    if let text { printer.sources[model] = text }
    printer.print(diagnostics)
    guard let loaded else { throw ExitCode(EdgeSimMain.failure) }
    let counts: NetworkCounts
    do {
      counts = try loaded.network.counts(shapes: loaded.shapes)
    } catch {
      printer.print([error.diagnostic(file: model)])
      throw ExitCode(EdgeSimMain.failure)
    }
    if format.json {
      Terminal.standardOutput(
        InspectReport.json(
          counts,
          model: loaded.network.name.isEmpty ? model : loaded.network.name))
    } else {
      Terminal.standardOutput(InspectReport.table(counts, elementBytes: 4))
    }
  }
}

/// Renders `inspect`'s table and JSON.
enum InspectReport {
  static func shape(_ s: TensorShape) -> String {
    s.dims.map(String.init).joined(separator: "×")
  }

  static func grouped(_ n: Int) -> String {
    let digits = Array(String(n.magnitude))
    var out = ""
    for (i, d) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out += "," }
      out.append(d)
    }
    return (n < 0 ? "-" : "") + out
  }

  static func table(_ counts: NetworkCounts, elementBytes: Int) -> String {
    var rows: [[String]] = [
      [
        "name", "op", "inputs", "output", "MACs", "params", "weight B",
        "act. B (in/out)",
      ]
    ]
    for entry in counts.entries {
      let c = entry.counts
      rows.append([
        entry.node.name, entry.node.opType,
        entry.inputShapes.map(shape).joined(separator: ", "),
        entry.outputShapes.map(shape).joined(separator: ", "),
        grouped(c.macs), grouped(c.parameters), grouped(c.weightBytes),
        "\(grouped(c.inputActivationElements * elementBytes))/\(grouped(c.outputActivationElements * elementBytes))",
      ])
    }
    let t = counts.total
    rows.append([
      "total", "", "", "", grouped(t.macs), grouped(t.parameters),
      grouped(t.weightBytes), "",
    ])
    return TextTable.render(rows)
      + "\n\(counts.entries.count) nodes; \(grouped(t.macs)) MACs, \(grouped(t.otherOps)) other operations, \(grouped(t.parameters)) parameters; activation bytes at fp32"
  }

  static func json(_ counts: NetworkCounts, model: String) -> String {
    let layers: [[String: Any]] = counts.entries.map { entry in
      [
        "name": entry.node.name, "op": entry.node.opType,
        "inputs": entry.inputShapes.map(\.dims),
        "output": entry.outputShapes.first?.dims ?? [],
        "outputs": entry.outputShapes.map(\.dims),
        "macs": entry.counts.macs, "params": entry.counts.parameters,
        "other_ops": entry.counts.otherOps,
        "weight_bytes": entry.counts.weightBytes,
        "input_activation_elements": entry.counts.inputActivationElements,
        "output_activation_elements": entry.counts.outputActivationElements,
      ]
    }
    let t = counts.total
    return JSONOutput.encode([
      "model": model, "layers": layers,
      "totals": [
        "macs": t.macs, "params": t.parameters, "other_ops": t.otherOps,
        "weight_bytes": t.weightBytes,
      ],
    ])
  }
}
