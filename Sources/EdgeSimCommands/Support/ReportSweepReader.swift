import Diagnostics
import Reports
import ResultsStore

/// Reads a results file written by `edgesim sweep` into the report's
/// ``SweepReport`` and the CSV of its `points` table (every column, in
/// table order).
enum ReportSweepReader {
  /// The sweep and its points as CSV, or why the file cannot be reported.
  static func read(_ path: String) -> Result<
    (SweepReport, CSVTable), CommandFailure
  > {
    let location = SourceLocation(file: path)
    do throws(ResultsStoreError) {
      let store = try ResultsStore(path: path, readOnly: true)
      var points: [SweepReportPoint] = []
      var notDone: [String: Int] = [:]
      var csv = CSVTable(header: ResultsSchema.pointColumns)
      try store.forEachPoint { row in
        csv.rows.append(cells(row))
        if row.status == "done", let m = row.metrics {
          points.append(
            SweepReportPoint(
              id: row.pointID, model: row.model, device: row.device,
              batch: row.batch,
              precision: row.precision, hardware: row.hardware,
              latency: m.latency, energy: m.energy,
              top1: m.top1))
        } else {
          notDone[row.status, default: 0] += 1
        }
      }
      guard !csv.rows.isEmpty else {
        return .failure(
          CommandFailure(
            .error(
              "the results file has no points", at: location,
              hint: "run edgesim sweep SPEC.yaml --db \(path) first")))
      }
      guard !points.isEmpty else {
        let counts = notDone.keys.sorted().map { "\(notDone[$0] ?? 0) \($0)" }
          .joined(separator: ", ")
        return .failure(
          CommandFailure(
            .error(
              "none of the \(csv.rows.count) points completed (\(counts))",
              at: location,
              hint:
                "the reasons are in the 'reason' column: sqlite3 \(path) \"SELECT reason, count(*) FROM points GROUP BY reason\""
            )))
      }
      let chosen = try store.chosenPoints()
      var floatTop1: [String: Double] = [:]
      for model in Set(points.map(\.model)) {
        if let text = try store.info("float_top1:\(model)"),
          let value = Double(text), value.isFinite
        {
          floatTop1[model] = value
        }
      }
      // A search records the float accuracy it measured against.
      let modelOf = Dictionary(
        points.map { ($0.id, $0.model) }, uniquingKeysWith: { a, _ in a })
      for c in chosen where c.floatTop1.isFinite {
        if let model = modelOf[c.pointID], floatTop1[model] == nil {
          floatTop1[model] = c.floatTop1
        }
      }
      let sweep = SweepReport(
        name: try store.info("sweep"), points: points, notDone: notDone,
        chosen: chosen.map {
          ChosenMark(
            pointID: $0.pointID, context: $0.context, objective: $0.objective,
            budget: $0.budget)
        },
        floatTop1: floatTop1)
      return .success((sweep, csv))
    } catch {
      return .failure(
        CommandFailure(
          .error(
            message(error), at: location,
            hint: "name a results file written by edgesim sweep --db")))
    }
  }

  /// A row as CSV cells, in ``ResultsSchema/pointColumns`` order.
  static func cells(_ row: PointRow) -> [CSVTable.Cell] {
    let m = row.metrics
    func number(_ v: Double?) -> CSVTable.Cell {
      v.map(CSVTable.Cell.number) ?? .empty
    }
    return [
      .text(row.pointID), .text(row.status),
      row.reason.map(CSVTable.Cell.text) ?? .empty,
      .text(row.model), .text(row.device), .integer(row.batch),
      row.defaultBits.map(CSVTable.Cell.integer) ?? .empty,
      .text(row.precision), .text(row.hardware),
      .text(row.parameters), number(m?.latency), number(m?.energy),
      number(m?.macEnergy),
      number(m?.operationEnergy), number(m?.dramEnergy),
      number(m?.onChipEnergy),
      number(m?.staticEnergy),
      m.map { CSVTable.Cell.integer($0.dramBytes) } ?? .empty, number(m?.top1),
      .text(row.compression),
      m?.storedBits.map(CSVTable.Cell.integer) ?? .empty,
      number(m?.compressionRatio),
    ]
  }

  /// The store's error without the path (the diagnostic names the file).
  static func message(_ error: ResultsStoreError) -> String {
    switch error {
    case .notAResultsDatabase: "not a results database written by edgesim sweep"
    case .database(_, let message): "cannot read the results file: \(message)"
    case .conflictingResults: error.description
    case .notSQLite, .corrupt, .foreign, .newerSchema:
      "cannot read the results file: \(error.problem)"
    }
  }
}
