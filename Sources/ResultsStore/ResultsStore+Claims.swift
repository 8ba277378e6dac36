import DesignSpace
import Foundation
import GRDB

/// A process evaluating a sweep's points into a results file.
public struct SweepWorker: Hashable, Sendable {
  /// A random identifier of this run.
  public var id: String
  /// The host name.
  public var host: String
  /// The process identifier on the host.
  public var pid: Int32

  /// A worker.
  public init(id: String, host: String, pid: Int32) {
    self.id = id
    self.host = host
    self.pid = pid
  }

  /// This process, with a fresh identifier.
  public static func current() -> SweepWorker {
    var name = [CChar](repeating: 0, count: 256)
    let host =
      gethostname(&name, name.count - 1) == 0
      ? String(
        decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
        as: UTF8.self) : "localhost"
    return SweepWorker(id: UUID().uuidString, host: host, pid: getpid())
  }

  /// Whether the worker of a claim may still be running: always for
  /// another host (its lease says), and on this host only if its process
  /// exists and is not this one (a pid reused by this process means the
  /// claimer has gone).
  func mayBeRunning(_ claim: (worker: String, host: String, pid: Int32))
    -> Bool
  {
    guard claim.host == host else { return true }
    if claim.pid == pid { return claim.worker == id }
    return kill(claim.pid, 0) == 0 || errno == EPERM
  }
}

extension ResultsStore {
  /// How long a claim holds without being renewed, in seconds.
  ///
  /// A running worker renews its claims every quarter of this
  /// (``renewClaims(of:)``).
  public static let leaseSeconds: Double = 60

  /// Claims a point for `worker`, in one `IMMEDIATE` transaction: the
  /// point is ``PointClaim/recorded`` if it has a result,
  /// ``PointClaim/heldElsewhere`` if another worker's claim on it is alive
  /// (its lease unexpired, and on this host its process exists), and
  /// otherwise claimed (a dead worker's claim is taken over).
  public func claim(_ pointID: String, by worker: SweepWorker)
    throws(ResultsStoreError) -> PointClaim
  {
    try immediate { db in
      if try Bool.fetchOne(
        db, sql: "SELECT EXISTS (SELECT 1 FROM points WHERE point_id = ?)",
        arguments: [pointID]) == true
      {
        return .recorded
      }
      let now = Date().timeIntervalSince1970
      if let row = try Row.fetchOne(
        db,
        sql:
          "SELECT worker, host, pid, expires_at FROM claims WHERE point_id = ?",
        arguments: [pointID]),
        row["worker"] as String != worker.id,
        row["expires_at"] as Double > now,
        worker.mayBeRunning((row["worker"], row["host"], row["pid"]))
      {
        return .heldElsewhere
      }
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO claims (point_id, worker, host, pid, claimed_at, expires_at)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          pointID, worker.id, worker.host, worker.pid, now,
          now + Self.leaseSeconds,
        ])
      return .claimed
    }
  }

  /// Extends the lease of every claim `worker` holds.
  public func renewClaims(of worker: SweepWorker) throws(ResultsStoreError) {
    try write { db in
      try db.execute(
        sql: "UPDATE claims SET expires_at = ? WHERE worker = ?",
        arguments: [
          Date().timeIntervalSince1970 + Self.leaseSeconds, worker.id,
        ]
      )
    }
  }

  /// Gives up every claim `worker` holds (a run that stops early).
  public func releaseClaims(of worker: SweepWorker) throws(ResultsStoreError) {
    try write { db in
      try db.execute(
        sql: "DELETE FROM claims WHERE worker = ?", arguments: [worker.id])
    }
  }

  /// The number of claims in the file.
  public func claimCount() throws(ResultsStoreError) -> Int {
    try run { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM claims") ?? 0
    }
  }

  func immediate<T>(_ body: (Database) throws -> T) throws(ResultsStoreError)
    -> T
  {
    do {
      return try queue.writeWithoutTransaction { db in
        var value: Result<T, any Error> = .failure(CancellationError())
        try db.inTransaction(.immediate) {
          value = .success(try body(db))
          return .commit
        }
        return try value.get()
      }
    } catch let error as ResultsStoreError {
      throw error
    } catch {
      throw ResultsStoreError.database(path: path, message: "\(error)")
    }
  }
}
