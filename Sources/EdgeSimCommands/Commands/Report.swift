import ArgumentParser
import Diagnostics
import Foundation
import Reports

/// `edgesim report (TRACE | RESULTS.sqlite) --html OUT.html [--csv OUT.csv]`:
/// one self-contained HTML page with SVG charts, and a CSV of its figures.
struct Report: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Write a self-contained HTML report (SVG charts, no network) of a trace or a sweep, and its CSV.",
    discussion: """
      For a trace folder (edgesim simulate --trace DIR, or its summary.json): \
      per-layer stacked energy bars, the engines' timeline and a roofline; \
      --csv writes the per-layer figures the charts plot. For a results file \
      (edgesim sweep --db FILE): energy against latency coloured by top-1, \
      accuracy against energy and latency, the Pareto front and the chosen \
      points; --csv writes every column of its points table. Outputs are \
      written atomically. See Documentation/Report.md.

      Example:
        edgesim report Traces/mobilenet_v2-npu-32x32 --html report.html
        edgesim report results.sqlite --html sweep.html --csv points.csv
      """)

  @Argument(
    help: "A trace folder (or its summary.json) or a sweep's results file.",
    completion: .file())
  var input: String

  @Option(
    help: ArgumentHelp(
      "Write the HTML report here (- for standard output).",
      valueName: "OUT.html"))
  var html: String?

  @Option(
    help: ArgumentHelp(
      "Write the figures as CSV here (- for standard output).",
      valueName: "OUT.csv"))
  var csv: String?

  func validate() throws {
    if html == nil && csv == nil {
      throw ValidationError(
        "Name an output: --html OUT.html, --csv OUT.csv or both.")
    }
    if let html, html == csv {
      throw ValidationError("--html and --csv name the same file.")
    }
  }

  func run() throws {
    var printer = DiagnosticPrinter()
    do throws(CommandFailure) {
      let loaded = try ReportInput.load(input).get()
      try OutputPath.check(
        [(html, "--html"), (csv, "--csv")].compactMap { path, option in
          path.map { ($0, option, .file) }
        })
      let page: () -> String
      let table: CSVTable
      switch loaded {
      case .run(let run, let warnings):
        printer.print(warnings)
        page = { HTMLReport.render(run) }
        table = run.layersCSV
      case .sweep(let sweep, let points):
        page = { HTMLReport.render(sweep) }
        table = points
      }
      if let html { try ReportOutput.write(page(), to: html) }
      if let csv { try ReportOutput.write(table.rendered, to: csv) }
    } catch {
      throw error.print(with: &printer)
    }
  }
}
