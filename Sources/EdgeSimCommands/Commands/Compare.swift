import ArgumentParser
import Diagnostics
import Foundation
import HardwareModel
import TraceFormats

/// `edgesim compare A B`: two traces layer by layer.
struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Compare two traces layer by layer: latency, energy by component, DRAM bytes, utilisation and bound.",
    discussion: """
      A and B are trace folders written by edgesim simulate (or their \
      summary.json files). Layers are aligned by name in A's order; layers \
      only one side has are listed with '-' on the other. Deltas are B − A. \
      The totals and the layers whose bottleneck changed follow.

      Example:
        edgesim simulate --hardware eyeriss-v1 --model alexnet --trace a
        edgesim simulate --hardware eyeriss-v1 --model alexnet --precision int16 --trace b
        edgesim compare a b
        edgesim compare a b --json
      """)

  @Argument(help: "The first trace (folder or summary.json).")
  var a: String

  @Argument(help: "The second trace (folder or summary.json).")
  var b: String

  @Flag(help: "Print the comparison as JSON on standard output.")
  var json = false

  func run() throws {
    var printer = DiagnosticPrinter()
    let first = try Self.load(a, printer: &printer)
    let second = try Self.load(b, printer: &printer)
    let comparison = TraceComparison(first, second)
    if json {
      Terminal.standardOutput(comparison.json.rendered)
    } else {
      Terminal.standardOutput(CompareReport.render(comparison))
    }
  }

  static func load(_ argument: String, printer: inout DiagnosticPrinter) throws -> TraceSummary {
    var isFolder: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder)
    let path = exists && isFolder.boolValue ? argument + "/summary.json" : argument
    let bytes: [UInt8]
    switch FileIO.read(path) {
    case .success(let b): bytes = b
    case .failure(let d):
      printer.print([d])
      throw ExitCode(EdgeSimMain.failure)
    }
    switch TraceSummaryReader.read(bytes: bytes) {
    case .success(let summary): return summary
    case .failure(let problem):
      printer.print([.error(problem.message, at: SourceLocation(file: path), hint: problem.hint)])
      throw ExitCode(EdgeSimMain.failure)
    }
  }
}

/// The text of `edgesim compare`.
enum CompareReport {
  static func render(_ c: TraceComparison) -> String {
    func time(_ v: Double?) -> String { v.map { UnitFormatter.decimal($0, unit: "s") } ?? "-" }
    func energy(_ v: Double?) -> String { v.map { UnitFormatter.decimal($0, unit: "J") } ?? "-" }
    func bytes(_ v: Double?) -> String { v.map { UnitFormatter.binary($0, unit: "B") } ?? "-" }
    func percent(_ v: Double?) -> String { v.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
    func signed(_ v: Double?, _ format: (Double?) -> String) -> String {
      guard let v else { return "-" }
      return (v > 0 ? "+" : v < 0 ? "−" : "") + format(abs(v))
    }
    func ratio(_ p: TraceComparison.Pair) -> String { p.ratio.map { String(format: "×%.3g", $0) } ?? "-" }
    var out = "A: \(c.a.model) on \(c.a.device), \(c.a.precision), batch \(c.a.batch)\n"
    out += "B: \(c.b.model) on \(c.b.device), \(c.b.precision), batch \(c.b.batch)\n\n"
    var rows = [["layer", "op", "time A", "time B", "Δ time", "energy A", "energy B", "Δ energy", "DRAM A", "DRAM B", "util A", "util B", "bound A → B"]]
    for r in c.rows + [c.totals] {
      let bound: String
      if r.name == "total" && r.boundA == nil {
        bound = ""
      } else {
        bound = (r.boundA ?? "-") + (r.boundChanged ? " → " + (r.boundB ?? "-") + " *" : r.boundA == nil ? " → " + (r.boundB ?? "-") : "")
      }
      rows.append([
        r.name, r.op, time(r.latency.a), time(r.latency.b), signed(r.latency.delta, time),
        energy(r.energy.a), energy(r.energy.b), signed(r.energy.delta, energy),
        bytes(r.dramBytes.a), bytes(r.dramBytes.b), percent(r.utilization.a), percent(r.utilization.b),
        bound,
      ])
    }
    out += TextTable.render(rows)
    out += "\n\ntotal energy by component (per inference):\n"
    var parts = [["component", "A", "B", "Δ", "B/A"]]
    for (component, pair) in c.totals.energyByComponent {
      parts.append([component, energy(pair.a), energy(pair.b), signed(pair.delta, energy), ratio(pair)])
    }
    out += TextTable.render(parts)
    out += "\nlatency \(ratio(c.totals.latency)), energy \(ratio(c.totals.energy)), DRAM bytes \(ratio(c.totals.dramBytes)) (B/A)\n"
    let changed = c.boundChanges
    out += changed.isEmpty
      ? "no layer's bottleneck changed\n"
      : "bottleneck changed in \(changed.count) layer(s): "
        + changed.map { "\($0.name) (\($0.boundA ?? "-") → \($0.boundB ?? "-"))" }.joined(separator: ", ") + "\n"
    return out
  }
}
