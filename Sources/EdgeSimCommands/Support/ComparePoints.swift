import DesignSpace
import Diagnostics
import Foundation
import HardwareModel
import ResultsStore
import Simulation
import SpecFormats
import TraceFormats

/// `edgesim compare --db R --sweep S A B`: two stored sweep points,
/// simulated again from the sweep file to see them layer by layer (the
/// results file keeps only totals).
enum ComparePoints {
  /// The shortest prefix of a point id accepted.
  static let shortestPrefix = 6

  /// Whether an argument can name a point: 6 to 16 hexadecimal digits.
  static func isPointReference(_ text: String) -> Bool {
    (shortestPrefix...16).contains(text.count) && text.allSatisfy(\.isHexDigit)
  }

  /// A stored point resolved from its reference, and remade from the plan.
  struct Side {
    var row: PointRow
    var point: DesignPoint
  }

  /// Finds both points, rebuilds them from the sweep file (`sweep`, else
  /// the one the results file recorded, ``RebuiltPoint``), simulates them
  /// and compares them.
  ///
  /// Warnings (a sweep name that differs from the results file's, totals
  /// that differ from the stored ones, another EdgeSim version) go to
  /// `printer`.
  ///
  /// - Throws: ``CommandFailure`` naming the file at fault: a missing or
  ///   unreadable file, an unknown or ambiguous point, a point that is not
  ///   done, parameters no study of the sweep produces, a point that no
  ///   longer simulates.
  static func compare(
    db: String, sweep: String?, a: String, b: String,
    printer: inout DiagnosticPrinter
  ) async throws -> TraceComparison {
    let store = try open(db)
    if let sweep {
      let plan = try readPlan(sweep, printer: &printer)
      // Said first: it explains a point this sweep does not produce.
      if let name = try? store.info("sweep"), name != plan.name {
        printer.print([
          .warning(
            "the results are of sweep '\(name)', and \(sweep) is sweep '\(plan.name)'",
            at: SourceLocation(file: db),
            hint: "give the sweep file the results were written from")
        ])
      }
    }
    let first = try RebuiltPoint.find(
      a, db: db, sweep: sweep, store: store, printer: &printer)
    let second = try RebuiltPoint.find(
      b, db: db, sweep: sweep, store: store, printer: &printer)
    printer.print([first, second].compactMap { $0.versionWarning(db: db) })

    // Each point's model and device only, without accuracy sets, found
    // relative to the sweep file that produced it.
    var loaded: [SweepInputs] = []
    for side in [first, second] {
      let study = Study(
        models: [side.point.model], devices: [side.point.device])
      loaded.append(
        try SweepInputs.load(
          SweepPlan(name: side.plan.name, studies: [study]),
          specPath: side.specPath, printer: &printer))
    }
    let (inputsA, inputsB) = (loaded[0], loaded[1])
    let (pointA, pointB) = (first.point, second.point)
    async let x = inputsA.simulate(pointA)
    async let y = inputsB.simulate(pointB)
    let outcomes = await [x, y]
    var summaries: [RunSummary] = []
    var warnings: [Diagnostic] = []
    for (side, outcome) in zip([first, second], outcomes) {
      let summary = try completed(outcome, of: side.row, db: db)
      summaries.append(summary)
      if let difference = difference(PointMetrics(summary), side.row.metrics) {
        warnings.append(
          .warning(
            "point \(side.row.pointID) simulates to other totals than the results file holds (\(difference))",
            at: SourceLocation(file: db),
            hint:
              "a model or device file changed since the sweep; the comparison shows the figures of today's files"
          ))
      }
    }
    printer.print(warnings)
    return TraceComparison(
      TraceSummary(summaries[0]), TraceSummary(summaries[1]),
      points: (identity(first.row), identity(second.row)))
  }

  static func identity(_ row: PointRow) -> TraceComparison.PointIdentity {
    TraceComparison.PointIdentity(
      pointID: row.pointID, parameters: row.parameters)
  }

  static func unique(_ names: [String]) -> [String] {
    var seen: [String] = []
    for name in names where !seen.contains(name) { seen.append(name) }
    return seen
  }

  /// The sweep file's plan, or its diagnostics.
  static func readPlan(_ path: String, printer: inout DiagnosticPrinter)
    throws(CommandFailure)
    -> SweepPlan
  {
    let bytes: [UInt8]
    switch FileIO.read(path) {
    case .success(let b): bytes = b
    case .failure(let d): throw CommandFailure(d)
    }
    printer.sources[path] = String(
      decoding: bytes.prefix(4 << 20), as: UTF8.self)
    let result = SweepReader.read(bytes: bytes, fileName: path)
    guard let plan = result.value else {
      throw CommandFailure(result.diagnostics)
    }
    printer.print(result.diagnostics)
    return plan
  }

  /// The results file, opened for reading.
  static func open(_ path: String) throws(CommandFailure) -> ResultsStore {
    let location = SourceLocation(file: path)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder),
      !isFolder.boolValue
    else {
      throw CommandFailure(
        .error(
          isFolder.boolValue
            ? "this is a folder, not a results file" : "no such file",
          at: location,
          hint: "name the results file of edgesim sweep SPEC.yaml --db FILE"))
    }
    // SQLite would wait on a named pipe.
    if let refusal = FileIO.checkRegularInput(path) {
      throw CommandFailure(refusal)
    }
    do throws(ResultsStoreError) {
      return try ResultsStore(path: path, readOnly: true)
    } catch {
      throw CommandFailure(
        .error(
          ReportSweepReader.message(error), at: location,
          hint: "name a results file written by edgesim sweep --db"))
    }
  }

  /// The stored point an argument names, remade from the plan.
  static func side(
    _ reference: String, store: ResultsStore, plan: SweepPlan, db: String,
    sweep: String
  ) throws(CommandFailure) -> Side {
    let row = try doneRow(reference, in: store, db: db)
    let location = SourceLocation(file: db)
    let point: DesignPoint
    switch plan.point(parameters: row.parameters) {
    case .success(let p): point = p
    case .failure(let problem):
      throw CommandFailure(
        .error(
          "point \(row.pointID) of \(db) is not a point of this sweep: \(problem.description)",
          at: SourceLocation(file: sweep),
          hint:
            "give the sweep file the results were written from (its parameters: \(row.parameters))"
        )
      )
    }
    guard point.id == row.pointID else {
      throw CommandFailure(
        .error(
          "point \(row.pointID)'s parameters hash to \(point.id), not to its id",
          at: location,
          hint: "the results file was edited; write it again with edgesim sweep"
        ))
    }
    return Side(row: row, point: point)
  }

  /// The stored point `reference` names (``find(_:in:db:)``), which must
  /// be done: infeasible and failed points have no figures.
  static func doneRow(_ reference: String, in store: ResultsStore, db: String)
    throws(CommandFailure) -> PointRow
  {
    let row = try find(reference.lowercased(), in: store, db: db)
    guard row.status == "done" else {
      let why = row.reason.map { ": \($0)" } ?? ""
      throw CommandFailure(
        .error(
          "point \(row.pointID) is \(row.status)\(why)",
          at: SourceLocation(file: db),
          hint:
            "only points whose status is 'done' have figures (\(row.parameters))"
        ))
    }
    return row
  }

  /// The one stored point whose id is, or starts with, `reference`
  /// (``ResultsStore/lookUp(_:)``), or why there is none.
  static func find(_ reference: String, in store: ResultsStore, db: String)
    throws(CommandFailure)
    -> PointRow
  {
    let location = SourceLocation(file: db)
    let lookup: PointLookup
    do throws(ResultsStoreError) {
      lookup = try store.lookUp(reference)
    } catch {
      throw CommandFailure(
        .error(
          ReportSweepReader.message(error), at: location,
          hint: "name a results file written by edgesim sweep --db"))
    }
    switch lookup {
    case .found(let row): return row
    case .none(let nearest, let isEmpty):
      let what =
        reference.count == 16
        ? "no point '\(reference)'" : "no point id starts with '\(reference)'"
      let list =
        "sqlite3 \(db) \"SELECT point_id, status, parameters FROM points\" lists them"
      let hint =
        isEmpty
        ? "the results file has no points; run edgesim sweep SPEC.yaml --db \(db) first"
        : nearest.isEmpty
          ? list
          : "did you mean "
            + nearest.map { "'\($0)'" }.joined(separator: " or ") + "? " + list
      throw CommandFailure(
        .error("\(what) in the results file", at: location, hint: hint))
    case .ambiguous(let rows, let count):
      let listed = rows.map { "\($0.pointID) (\($0.parameters))" }
        .joined(separator: ", ")
      throw CommandFailure(
        .error(
          "'\(reference)' is the start of \(count) point ids: \(listed)\(count > 5 ? ", …" : "")",
          at: location, hint: "give more digits of the id"))
    }
  }

  /// The summary of a point stored as done, or why it no longer simulates.
  static func completed(
    _ outcome: PointSimulation, of row: PointRow, db: String
  )
    throws(CommandFailure) -> RunSummary
  {
    let problem: String
    switch outcome {
    case .completed(let summary): return summary
    case .infeasible(let reason): problem = "infeasible: \(reason)"
    case .failed(let error): problem = "failed: \(error)"
    }
    throw CommandFailure(
      .error(
        "point \(row.pointID) is done in the results file but now \(problem)",
        at: SourceLocation(file: db),
        hint:
          "a model or device file changed since the sweep (\(row.parameters))"
      ))
  }

  /// How simulated totals differ from stored ones
  /// (``PointMetrics/differences(from:)``), in words, or `nil` when they
  /// agree.
  static func difference(_ simulated: PointMetrics, _ stored: PointMetrics?)
    -> String?
  {
    guard let stored else { return "the file holds none" }
    func format(_ value: Double, _ unit: String) -> String {
      unit == "B"
        ? String(Int(saturating: value)) + " B"
        : UnitFormatter.decimal(value, unit: unit)
    }
    let differences = simulated.differences(from: stored).map {
      "\($0.name) \(format($0.stored, $0.unit)) stored, \(format($0.now, $0.unit)) now"
    }
    return differences.isEmpty ? nil : differences.joined(separator: "; ")
  }
}

extension SweepInputs {
  /// Simulates a point against the loaded models and devices, keeping the
  /// simulator's whole summary.
  func simulate(_ point: DesignPoint) -> PointSimulation {
    switch prepared(point) {
    case .failure(let error): return .failed(error: error.message)
    case .success(let p):
      return PointEvaluator.simulate(
        p.point, network: p.network, device: p.device,
        coding: p.compressed?.coding)
    }
  }
}
