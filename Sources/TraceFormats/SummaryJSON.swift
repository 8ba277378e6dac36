import Simulation

/// The JSON summary of a run (`summary.json`), schema `edgesim.trace/1`:
/// ``TraceDocument`` encoded.
///
/// Top level: `schema`, `device`, `model`, `precision`, `batch`, `clock_hz`,
/// `peak_macs_per_s`, `totals` (``TraceDocument/Totals``) and `layers` (one
/// ``LayerRecord`` each). A run that codes DRAM traffic adds `dram_coding`:
/// at the top level the coding's label, per layer the coded over raw
/// backing-store bits of `weights`, `inputs` and `outputs`.
/// Keys are sorted and numbers have one format, so the file is stable.
public enum SummaryJSON {
  /// The schema identifier.
  public static let schema = TraceDocument.schema

  /// Renders the summary, newline-terminated.
  public static func render(_ summary: RunSummary) -> String {
    TraceDocument(summary).rendered
  }

  /// The summary as a JSON value (the CLI's `--json` builds on it).
  public static func value(_ summary: RunSummary) -> JSONValue {
    TraceDocument(summary).json
  }
}
