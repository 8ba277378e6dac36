import ArgumentParser
import Simulation
import TraceFormats

/// `--trace` and `--no-trace`: where `simulate` writes its trace files.
struct TraceOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Folder for the trace files (default Traces/<model>-<device>[-<variant>]).",
      discussion:
        "The default names the model by its file (or bundled name) and adds what differs from a default run: the precision, batch bN, the DRAM-coding file, cold, preloaded. Replacing a folder that held another run's trace is said on standard error."
    ))
  var trace: String?

  @Flag(help: "Do not write a trace.")
  var noTrace = false

  func validate() throws {
    if noTrace, trace != nil {
      throw ValidationError("--trace and --no-trace contradict each other.")
    }
  }

  /// Refuses a folder given with `--trace` that would replace an input or
  /// something that is not a trace, before anything is simulated.
  func check() throws(CommandFailure) {
    if let trace, !noTrace { try TraceFolder.check(trace) }
  }

  /// Writes the trace (unless `--no-trace`).
  ///
  /// - Parameters:
  ///   - summary: The run.
  ///   - events: The simulator's timeline, for trace.json.
  ///   - summaryText: summary.json's text, built only when needed.
  ///   - inputs: What was simulated, for the default folder's name.
  ///   - device: The device's name, for the default folder's name.
  /// - Returns: The folder written, or `nil` with `--no-trace`.
  /// - Throws: ``CommandFailure`` when the folder cannot be written.
  func write(
    _ summary: RunSummary, events: [TraceEvent], summaryText: () -> String,
    inputs: SimulationInputOptions, device: String
  ) throws(CommandFailure) -> String? {
    try write(
      summary, events: events, summaryText: summaryText,
      defaultFolder: Self.defaultFolder(
        model: summary.model.isEmpty
          ? ModelLoader.stem(inputs.modelName) : summary.model,
        device: device, inputs: inputs))
  }

  /// Writes the trace (unless `--no-trace`) to `--trace`, else to
  /// `defaultFolder`.
  func write(
    _ summary: RunSummary, events: [TraceEvent], summaryText: () -> String,
    defaultFolder: @autoclosure () -> String
  ) throws(CommandFailure) -> String? {
    guard !noTrace else { return nil }
    let folder = trace ?? defaultFolder()
    if let replaced = TraceFolder.otherRun(in: folder, than: summary) {
      Terminal.standardError(
        "note: \(folder)/ held the trace of \(replaced); it is replaced")
    }
    try TraceFolder.write(
      summary: summaryText(), layers: LayersCSV.render(summary),
      trace: ChromeTrace.render(summary, events: events), to: folder)
    return folder
  }

  /// `Traces/<model>-<device>`, then what differs from a default run, each
  /// with a dash: the precision (its shorthand, or its file's stem), the
  /// batch (`b4`), the DRAM-coding file's stem, `cold`, `preloaded`.
  static func defaultFolder(
    model: String, device: String, inputs: SimulationInputOptions
  ) -> String {
    var parts = [model, device]
    if let precision = inputs.precision {
      parts.append(ModelLoader.stem(precision))
    }
    if let batch = inputs.batch, batch != 1 { parts.append("b\(batch)") }
    for (name, value) in inputs.dimensions.values.sorted(by: { $0.key < $1.key }
    ) {
      parts.append("\(name)\(value)")
    }
    if let compression = inputs.compression {
      parts.append(ModelLoader.stem(compression))
    }
    if inputs.cold { parts.append("cold") }
    if inputs.weightsPreloaded { parts.append("preloaded") }
    return "Traces/" + parts.map(slug).joined(separator: "-")
  }

  /// Says on standard error where the trace went, when one was written.
  static func announce(_ folder: String?) {
    guard let folder else { return }
    Terminal.standardError(
      "trace written to \(folder)/ (summary.json, layers.csv, trace.json)")
  }

  /// `Traces/<model>-<device>-<id>` for a sweep point: the model and
  /// device by their files' stems (or bundled names), and the first 8 digits
  /// of the point's id.
  static func pointFolder(model: String, device: String, pointID: String)
    -> String
  {
    "Traces/"
      + [
        ModelLoader.stem(model), ModelLoader.stem(device),
        String(pointID.prefix(8)),
      ]
      .map(slug).joined(separator: "-")
  }

  /// A name made safe for a folder: anything but letters, digits, `-`, `_`
  /// and `.` becomes `_`.
  static func slug(_ text: String) -> String {
    String(
      text.map {
        $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "."
          ? $0 : "_"
      })
  }
}
