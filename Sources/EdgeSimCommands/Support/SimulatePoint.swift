import DesignSpace
import Diagnostics
import Evaluation
import Foundation
import HardwareModel
import ResultsStore

/// `edgesim simulate --db R --point ID`: one point of a results file,
/// rebuilt from its recorded sweep file and simulated again with a trace.
enum SimulatePoint {
  /// Rebuilds, simulates, traces and prints the point.
  ///
  /// - Throws: `ExitCode` after printing why the point cannot be rebuilt
  ///   or no longer simulates.
  static func run(
    db: String, reference: String, sweep: String?, trace: TraceOptions,
    table: TableOptions, json: Bool
  ) throws {
    var printer = DiagnosticPrinter()
    do throws(CommandFailure) {
      try trace.check()
      let store = try ComparePoints.open(db)
      let rebuilt = try RebuiltPoint.find(
        reference, db: db, sweep: sweep, store: store, printer: &printer)
      if let warning = rebuilt.versionWarning(db: db) {
        printer.print([warning])
      }
      let point = rebuilt.point
      let study = Study(models: [point.model], devices: [point.device])
      let inputs: SweepInputs
      do {
        inputs = try SweepInputs.load(
          SweepPlan(name: rebuilt.plan.name, studies: [study]),
          specPath: rebuilt.specPath, printer: &printer)
      } catch {
        throw CommandFailure([])
      }
      let prepared: SweepInputs.PreparedPoint
      switch inputs.prepared(point) {
      case .success(let p): prepared = p
      case .failure(let error):
        throw CommandFailure(
          .error(
            "point \(rebuilt.row.pointID) cannot be rebuilt: \(error.message)",
            at: SourceLocation(file: rebuilt.specPath)))
      }
      let device = prepared.device
      let overridden: Device
      switch point.applyingOverrides(to: device) {
      case .success(let d): overridden = d
      case .failure(let problem):
        throw CommandFailure(
          .error(
            "point \(rebuilt.row.pointID) is done in the results file but now infeasible: \(problem.message)",
            at: SourceLocation(file: db),
            hint:
              "a device file changed since the sweep (\(rebuilt.row.parameters))"
          ))
      }
      let outcome: EvaluationOutcome
      switch PointEvaluator.run(
        prepared.point, network: prepared.network, device: device,
        coding: prepared.compressed?.coding)
      {
      case .success(let o): outcome = o
      case .failure(let refusal):
        throw CommandFailure(
          .error(
            "point \(rebuilt.row.pointID) is done in the results file but now \(refusal.description)",
            at: SourceLocation(file: db),
            hint:
              "a model or device file changed since the sweep (\(rebuilt.row.parameters))"
          ))
      }
      if let difference = ComparePoints.difference(
        PointMetrics(outcome.summary), rebuilt.row.metrics)
      {
        printer.print([
          .warning(
            "point \(rebuilt.row.pointID) simulates to other totals than the results file holds (\(difference))",
            at: SourceLocation(file: db),
            hint:
              "a model or device file changed since the sweep; the trace shows the figures of today's files"
          )
        ])
      }
      let summaryText = { SimulationReport.json(outcome) }
      let folder = try trace.write(
        outcome.summary, events: outcome.events, summaryText: summaryText,
        defaultFolder: TraceOptions.pointFolder(
          model: point.model, device: point.device,
          pointID: rebuilt.row.pointID))
      if json {
        Terminal.standardOutput(summaryText())
        return
      }
      TraceOptions.announce(folder)
      Terminal.standardOutput(
        "point \(rebuilt.row.pointID) of \(db): \(rebuilt.row.parameters)\n")
      Terminal.standardOutput(
        SimulationReport.render(
          outcome.summary, device: overridden, table: table))
      if let top1 = rebuilt.row.metrics?.top1 {
        Terminal.standardOutput(
          "top-1 \(String(format: "%.2f", top1 * 100))% (stored by the sweep; not measured again)\n"
        )
      }
    } catch {
      throw error.print(with: &printer)
    }
  }
}
