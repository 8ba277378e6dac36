import ArgumentParser
import Diagnostics
import Evaluation

/// `edgesim calibrate`: fit a device's free parameters to measured
/// latencies and report the error on every measurement, in sample and
/// leave-one-model-out.
struct Calibrate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Fit a device to measured latencies; report the leave-one-model-out error.",
    discussion: """
      Reads a measurements CSV (Hardware/measurements/README.md) and keeps \
      the rows of the device (its name, or --device-name) and runtime. Each \
      row is simulated with its precision, batch and regime. The device's \
      free parameters (the figures of its 'runtime:' block, a processor's \
      per-operator execution model or an accelerator's fixed time per \
      layer; otherwise the efficiency factors its file declares) are fitted to minimise the squared log error; each model is also predicted by a \
      fit that did not see it (leave-one-model-out). The device file is \
      written to --out with the fitted figures and their provenance. \
      --hold NAME keeps a free parameter at the file's value (and its \
      provenance) in every fit, the leave-one-model-out ones too. \
      Per-operator times are not read yet.

      Example:
        edgesim calibrate Hardware/measurements/published.csv --hardware pixel3-cpu --skip-unknown --out pixel3-cpu-fitted.yaml
        edgesim calibrate Hardware/measurements/published.csv --hardware pixel3-gpu --skip-unknown --no-fit
        edgesim calibrate Hardware/measurements/published.csv --hardware pixel3-cpu --skip-unknown --hold runtime.memory --out pixel3-cpu-fitted.yaml
      """)

  @OptionGroup var inputs: CalibrateOptions

  @Option(
    help: ArgumentHelp(
      "The fitted device file to write (.yaml).", valueName: "file"))
  var out: String?

  @Flag(
    help: "Predict every row with the device as given; fit and write nothing.")
  var noFit = false

  @Flag(
    help:
      "Print the report as a Markdown section (Documentation/Validation.md).")
  var markdown = false

  @OptionGroup var format: OutputOptions

  func validate() throws {
    if noFit, out != nil {
      throw ValidationError("--no-fit writes no device file; drop --out.")
    }
    if !noFit, out == nil {
      throw ValidationError(
        "name the fitted device file with --out (or pass --no-fit).")
    }
    if markdown, format.json {
      throw ValidationError("--markdown and --json are two formats; pick one.")
    }
  }

  func run() throws {
    var printer = DiagnosticPrinter()
    let loaded = try CalibrationInputs.load(inputs, printer: &printer)
    do throws(CommandFailure) {
      if let out { try OutputPath.check([(out, "--out", .file)]) }
      let report = try CalibrationOutput.report(
        loaded, tied: inputs.tied, fit: !noFit, held: inputs.held)
      if let out {
        try CalibrationOutput.write(
          report, inputs: loaded, measurementsFile: inputs.measurements, to: out
        )
      }
      Terminal.standardOutput(
        format.json
          ? CalibrationRendering.json(report, inputs: loaded)
          : markdown
            ? CalibrationRendering.markdown(report, inputs: loaded)
            : CalibrationRendering.text(report, inputs: loaded))
    } catch {
      throw error.print(with: &printer)
    }
  }
}
