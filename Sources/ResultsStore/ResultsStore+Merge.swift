import GRDB

extension ResultsStore {
  /// Copies every point of another results file into this one, in one
  /// transaction (all of the file or none of it).
  ///
  /// A point already here with the same figures is skipped; the same point
  /// with different figures is a conflict and nothing of the file is
  /// merged.
  ///
  /// - Parameter source: The other file's path (opened read-only).
  /// - Returns: How many points were new.
  /// - Throws: ``ResultsStoreError/conflictingResults(path:pointIDs:)``, or
  ///   an error of either file.
  @discardableResult
  public func merge(from source: String) throws(ResultsStoreError) -> Int {
    // Opening it read-only checks it is a results database of this schema.
    _ = try ResultsStore(path: source, readOnly: true)
    do {
      return try queue.writeWithoutTransaction { db in
        try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source])
        defer { try? db.execute(sql: "DETACH DATABASE source") }
        // A file of an earlier schema lacks the later columns: they stay
        // at their defaults.
        let present = try Set(
          Row.fetchAll(db, sql: "PRAGMA source.table_info(points)").map {
            $0["name"] as String
          })
        let columns = ResultsSchema.pointColumns.filter(present.contains)
        let compared = columns.dropFirst().map { "s.\($0) IS NOT p.\($0)" }
          .joined(separator: " OR ")
        var added = 0
        var conflicts: [String] = []
        try db.inTransaction {
          conflicts = try String.fetchAll(
            db,
            sql: """
              SELECT s.point_id FROM source.points AS s JOIN main.points AS p USING (point_id)
              WHERE \(compared) ORDER BY s.point_id LIMIT 20
              """)
          guard conflicts.isEmpty else { return .rollback }
          let list = columns.joined(separator: ", ")
          try db.execute(
            sql:
              "INSERT OR IGNORE INTO main.points (\(list)) SELECT \(list) FROM source.points"
          )
          added = db.changesCount
          try db.execute(
            sql:
              "INSERT OR IGNORE INTO main.sweep_info (key, value) SELECT key, value FROM source.sweep_info"
          )
          // Files written before schema v2 have no search outcomes.
          if try db.tableExists("search_choices", in: "source") {
            try db.execute(
              sql:
                "INSERT OR IGNORE INTO main.search_choices SELECT * FROM source.search_choices"
            )
          }
          return .commit
        }
        if !conflicts.isEmpty {
          throw ResultsStoreError.conflictingResults(
            path: source, pointIDs: conflicts)
        }
        return added
      }
    } catch let error as ResultsStoreError {
      throw error
    } catch {
      throw ResultsStoreError.database(path: source, message: "\(error)")
    }
  }
}
