import DesignSpace
import Foundation
import ResultsStore
import Synchronization
import Testing

/// Workers on one results file share its points through claims.
@Suite struct ClaimTests {
  /// A worker on a host of its own: its claims hold for the lease.
  static func remote(_ name: String) -> SweepWorker {
    SweepWorker(id: name, host: "\(name).example", pid: 1)
  }

  @Test func aClaimHoldsUntilThePointIsRecorded() throws {
    let path = ResultsStoreTests.temporaryPath("claims.sqlite")
    let a = try ResultsStore(path: path)
    let b = try ResultsStore(path: path)
    let point = ResultsStoreTests.result(0)
    let id = point.point.id
    #expect(try a.claim(id, by: Self.remote("a")) == .claimed)
    #expect(try a.claim(id, by: Self.remote("a")) == .claimed)
    #expect(try b.claim(id, by: Self.remote("b")) == .heldElsewhere)
    #expect(try b.claimCount() == 1)
    try a.record(point)
    #expect(try b.claimCount() == 0)
    #expect(try b.claim(id, by: Self.remote("b")) == .recorded)
  }

  @Test func aGoneWorkersClaimIsTakenOver() throws {
    let path = ResultsStoreTests.temporaryPath("gone.sqlite")
    let store = try ResultsStore(path: path)
    let me = SweepWorker.current()
    // A process of this host that does not exist.
    let gone = SweepWorker(id: "gone", host: me.host, pid: Int32.max)
    // An earlier run of this very process id (a restarted container).
    let earlier = SweepWorker(id: "earlier", host: me.host, pid: me.pid)
    let first = ResultsStoreTests.result(1).point.id
    let second = ResultsStoreTests.result(2).point.id
    #expect(try store.claim(first, by: gone) == .claimed)
    #expect(try store.claim(second, by: earlier) == .claimed)
    #expect(try store.claim(first, by: me) == .claimed)
    #expect(try store.claim(second, by: me) == .claimed)
    // A live process of this host keeps its claim.
    let parent = SweepWorker(id: "parent", host: me.host, pid: getppid())
    let third = ResultsStoreTests.result(3).point.id
    #expect(try store.claim(third, by: parent) == .claimed)
    #expect(try store.claim(third, by: me) == .heldElsewhere)
    try store.releaseClaims(of: parent)
    #expect(try store.claim(third, by: me) == .claimed)
  }

  /// Two runners on one file, each with its own connection, evaluate every
  /// point once between them; the file equals one runner's.
  @Test func twoRunnersShareThePoints() async throws {
    let results = (0..<60).map { ResultsStoreTests.result($0) }
    let byID = Dictionary(
      uniqueKeysWithValues: results.map { ($0.point.id, $0) })
    let path = ResultsStoreTests.temporaryPath("shared.sqlite")
    let evaluations = Mutex<[String: Int]>([:])
    let evaluate: @Sendable (DesignPoint) -> PointResult = { point in
      evaluations.withLock { $0[point.id, default: 0] += 1 }
      usleep(2000)
      return byID[point.id]!
    }
    func worker(_ name: String) async throws -> Int {
      let store = try ResultsStore(path: path)
      let me = Self.remote(name)
      return try await SweepRunner.run(
        results.map(\.point), jobs: 2,
        claim: {
          // Leases kept fresh however slowly a loaded machine runs this.
          try store.renewClaims(of: me)
          return try store.claim($0.id, by: me)
        },
        evaluate: evaluate, record: { try store.record($0) },
        waitForOthers: { try await Task.sleep(for: .milliseconds(5)) })
    }
    async let a = worker("a")
    async let b = worker("b")
    let counts = try await [a, b]
    #expect(counts.reduce(0, +) == 60)
    #expect(
      evaluations.withLock {
        $0.values.allSatisfy { $0 == 1 } && $0.count == 60
      })
    let single = try ResultsStore(
      path: ResultsStoreTests.temporaryPath("single.sqlite"))
    for result in results { try single.record(result) }
    let shared = try ResultsStore(path: path, readOnly: true)
    #expect(try shared.allPoints() == single.allPoints())
    #expect(try shared.claimCount() == 0)
  }

  /// A runner waits for the points another worker holds and evaluates
  /// them itself if that worker goes.
  @Test func aRunnerTakesOverThePointsOfAWorkerThatStops() async throws {
    let results = (0..<10).map { ResultsStoreTests.result($0) }
    let path = ResultsStoreTests.temporaryPath("stopped.sqlite")
    let store = try ResultsStore(path: path)
    let other = Self.remote("other")
    for result in results.prefix(3) {
      #expect(try store.claim(result.point.id, by: other) == .claimed)
    }
    let me = Self.remote("me")
    let rounds = Mutex(0)
    let evaluated = try await SweepRunner.run(
      results.map(\.point), jobs: 2,
      claim: {
        // The other worker's lease is kept fresh until it stops, however
        // slowly a loaded machine runs this.
        if rounds.withLock({ $0 < 2 }) { try store.renewClaims(of: other) }
        return try store.claim($0.id, by: me)
      },
      evaluate: { point in results.first { $0.point.id == point.id }! },
      record: { try store.record($0) },
      waitForOthers: {
        // The other worker records one point, then stops.
        let round = rounds.withLock {
          $0 += 1
          return $0
        }
        if round == 1 { try store.record(results[0]) }
        if round == 2 { try store.releaseClaims(of: other) }
      })
    #expect(evaluated == 9)
    #expect(try store.allPoints().count == 10)
    #expect(try store.claimCount() == 0)
  }
}
