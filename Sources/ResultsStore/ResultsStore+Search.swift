import DesignSpace
import GRDB

/// A precision search's choice as a results file keeps it.
public struct ChosenPoint: Hashable, Sendable {
  /// The chosen point (a row of `points`).
  public var pointID: String
  /// The model, device, batch and hardware the search ran for.
  public var context: String
  /// `energy` or `latency`.
  public var objective: String
  /// The accuracy budget: top-1 points below float.
  public var budget: Double
  /// The most precise point, the reference of the saving.
  public var startPointID: String
  /// The float model's top-1, in [0, 1].
  public var floatTop1: Double
  /// Distinct points the search evaluated.
  public var evaluations: Int
  /// The moves, `axis=setting` joined by `;`.
  public var steps: String
}

extension ResultsStore {
  /// Stores a search's outcome in its own transaction (a context already
  /// stored is left as it is).
  public func record(_ outcome: SearchOutcome) throws(ResultsStoreError) {
    let steps = outcome.steps.map { "\($0.axis)=\($0.setting)" }
      .joined(separator: ";")
    let values: [(any DatabaseValueConvertible)?] = [
      outcome.context, outcome.goal.objective.rawValue,
      outcome.goal.maxAccuracyDrop,
      outcome.floatTop1, outcome.start.point.id, outcome.chosen?.point.id,
      steps,
      outcome.evaluations, outcome.reason,
    ]
    try write { db in
      try db.execute(
        sql: """
          INSERT OR IGNORE INTO search_choices (context, objective, max_accuracy_drop, float_top1,
            start_point_id, chosen_point_id, steps, evaluations, reason)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: StatementArguments(values))
    }
  }

  /// Whether a search context has a stored outcome (resuming skips it).
  public func hasSearchOutcome(_ context: String) throws(ResultsStoreError)
    -> Bool
  {
    try run { db in
      guard try db.tableExists("search_choices") else { return false }
      return try Bool.fetchOne(
        db,
        sql: "SELECT EXISTS (SELECT 1 FROM search_choices WHERE context = ?)",
        arguments: [context])
        ?? false
    }
  }

  /// The stored result of a point, or `nil`.
  public func point(_ pointID: String) throws(ResultsStoreError) -> PointRow? {
    try run { db in
      try Row.fetchOne(
        db, sql: "SELECT * FROM points WHERE point_id = ?", arguments: [pointID]
      )
      .map(PointRow.init(row:))
    }
  }

  /// A point's stored result, or `nil` when it has none (a search that
  /// resumes reads its earlier evaluations back).
  public func storedResult(of point: DesignPoint) throws(ResultsStoreError)
    -> PointResult?
  {
    guard let row = try self.point(point.id) else { return nil }
    let status: PointStatus
    switch row.status {
    case "done":
      guard let metrics = row.metrics else { return nil }
      status = .done(metrics)
    case "infeasible": status = .infeasible(reason: row.reason ?? "")
    default: status = .failed(error: row.reason ?? "")
    }
    return PointResult(point: point, status: status)
  }

  /// The points precision searches chose, by context (none in a file
  /// written before schema v2 or without a search).
  public func chosenPoints() throws(ResultsStoreError) -> [ChosenPoint] {
    try run { db in
      guard try db.tableExists("search_choices") else { return [] }
      let rows = try Row.fetchAll(
        db,
        sql:
          "SELECT * FROM search_choices WHERE chosen_point_id IS NOT NULL ORDER BY context"
      )
      return rows.map { row in
        ChosenPoint(
          pointID: row["chosen_point_id"], context: row["context"],
          objective: row["objective"],
          budget: row["max_accuracy_drop"], startPointID: row["start_point_id"],
          floatTop1: row["float_top1"], evaluations: row["evaluations"],
          steps: row["steps"])
      }
    }
  }
}
