import ArgumentParser
import Simulation
import TraceFormats

/// `--trace` and `--no-trace`: where `simulate` writes its trace files.
struct TraceOptions: ParsableArguments {
  @Option(help: "Folder for the trace files (default Traces/<model>-<device>).")
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
  ///   - model: The model argument, for the default folder's name.
  ///   - device: The device's name, for the default folder's name.
  /// - Returns: The folder written, or `nil` with `--no-trace`.
  /// - Throws: ``CommandFailure`` when the folder cannot be written.
  func write(
    _ summary: RunSummary, events: [TraceEvent], summaryText: () -> String,
    model: String, device: String
  ) throws(CommandFailure) -> String? {
    guard !noTrace else { return nil }
    let folder =
      trace
      ?? "Traces/\(Self.slug(summary.model.isEmpty ? model : summary.model))-\(Self.slug(device))"
    try TraceFolder.write(
      summary: summaryText(), layers: LayersCSV.render(summary),
      trace: ChromeTrace.render(summary, events: events), to: folder)
    return folder
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
