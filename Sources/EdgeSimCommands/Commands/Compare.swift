import ArgumentParser
import Diagnostics
import Foundation
import HardwareModel
import TraceFormats

/// `edgesim compare A B`: two traces, or two points of a sweep, layer by
/// layer.
struct Compare: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Compare two traces, or two sweep points, layer by layer: latency, energy by component, DRAM bytes, utilisation and bound.",
    discussion: """
      A and B are trace folders written by edgesim simulate (or their \
      summary.json files). Layers are aligned by name in A's order; layers \
      only one side has are listed with '-' on the other. Deltas are B − A. \
      The totals and the layers whose bottleneck changed follow.

      With --db, A and B are points of a results file of edgesim sweep: \
      each a point_id (16 hex digits) or a unique prefix of at least 6. The \
      file keeps only totals, so both points are rebuilt from their stored \
      parameters and the sweep file the results file recorded (or --sweep; \
      models and devices are found relative to it, as when sweeping) and \
      simulated again; a warning says so when the totals differ from the \
      stored ones (a model or device file changed since the sweep). Only \
      points whose status is 'done' can be compared. `edgesim simulate --db \
      R --point ID` writes one point's trace.

      Example:
        edgesim simulate --hardware eyeriss-v1 --model alexnet --trace a
        edgesim simulate --hardware eyeriss-v1 --model alexnet --precision int16 --trace b
        edgesim compare a b
        edgesim compare a b --json

        edgesim sweep Workloads/sweeps/example.yaml --db results.sqlite
        sqlite3 results.sqlite "SELECT point_id, status, parameters FROM points"
        edgesim compare --db results.sqlite 4cc688 4cd788
        edgesim compare --db results.sqlite 4cc688 4cd788 --json
      """)

  @Argument(
    help:
      "The first trace (folder or summary.json), or with --db the first point (id or prefix)."
  )
  var a: String

  @Argument(
    help:
      "The second trace (folder or summary.json), or with --db the second point."
  )
  var b: String

  @Option(
    help: ArgumentHelp(
      "A results file of edgesim sweep: A and B are then its points.",
      valueName: "results.sqlite"))
  var db: String?

  @Option(
    help: ArgumentHelp(
      "With --db: the sweep file the results came from; by default the one the results file recorded.",
      valueName: "spec.yaml"))
  var sweep: String?

  @OptionGroup var format: OutputOptions

  @Option(help: "Show the N layers whose time changed most (default 10).")
  var top = 10

  @Flag(help: "Show every layer, in execution order.")
  var all = false

  func validate() throws {
    if top < 1 { throw ValidationError("--top must be at least 1.") }
    if sweep != nil, db == nil {
      throw ValidationError(
        "--sweep is used with --db: give the results file whose points A and B are."
      )
    }
    if db != nil {
      for reference in [a, b] where !ComparePoints.isPointReference(reference) {
        throw ValidationError(
          "'\(reference)' is not a point id: give its 16 hex digits or a unique prefix of at least \(ComparePoints.shortestPrefix)."
        )
      }
    }
  }

  func run() async throws {
    var printer = DiagnosticPrinter()
    let comparison: TraceComparison
    if let db {
      do {
        comparison = try await ComparePoints.compare(
          db: db, sweep: sweep, a: a, b: b, printer: &printer)
      } catch let failure as CommandFailure {
        throw failure.print(with: &printer)
      }
    } else {
      comparison = TraceComparison(
        try Self.load(a, printer: &printer), try Self.load(b, printer: &printer)
      )
    }
    if format.json {
      Terminal.standardOutput(comparison.json.rendered)
    } else {
      Terminal.standardOutput(
        CompareReport.render(comparison, top: all ? nil : top))
    }
  }

  static func load(_ argument: String, printer: inout DiagnosticPrinter) throws
    -> TraceSummary
  {
    var isFolder: ObjCBool = false
    let exists = FileManager.default.fileExists(
      atPath: argument, isDirectory: &isFolder)
    let path =
      exists && isFolder.boolValue ? argument + "/summary.json" : argument
    let bytes: [UInt8]
    switch FileIO.read(path) {
    case .success(let b): bytes = b
    case .failure(let d):
      printer.print([d])
      throw ExitCode(EdgeSimMain.failure)
    }
    switch TraceDocument.read(bytes: bytes) {
    case .success(let document): return TraceSummary(document)
    case .failure(let problem):
      printer.print([
        .error(
          problem.message, at: SourceLocation(file: path), hint: problem.hint)
      ])
      throw ExitCode(EdgeSimMain.failure)
    }
  }
}
