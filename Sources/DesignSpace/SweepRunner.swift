/// What a worker's claim on a point found.
public enum PointClaim: Hashable, Sendable {
  /// The point is this worker's to evaluate.
  case claimed
  /// The point has a result already (it is skipped).
  case recorded
  /// Another live worker is evaluating it.
  case heldElsewhere
}

/// Runs design points concurrently, at most `jobs` at a time.
///
/// The runner walks the points in order on the calling task, claims each
/// (skipping those already recorded, and passing over those another worker
/// holds), starts at most `jobs` evaluations as child tasks, and hands
/// every result to `record` on the calling task, one at a time, as soon as
/// it is ready (so results come back in completion order, not point
/// order). A point is claimed only when a slot is free, so claims are of
/// points in flight. After the walk, the points other workers held are
/// claimed again until each is recorded (by anyone) or taken over from a
/// worker that has gone, calling `waitForOthers` between rounds. Memory
/// holds at most `jobs` points in flight, and the points others held,
/// whatever the sweep's size.
///
/// ```swift
/// try await SweepRunner.run(points, jobs: 2,
///   claim: { try await store.claim($0.id, by: worker) },
///   evaluate: { PointEvaluator.evaluate($0, network: n, device: d) },
///   record: { try await store.record($0) },
///   waitForOthers: { try await Task.sleep(for: .milliseconds(200)) })
/// ```
public enum SweepRunner {
  /// Runs every point not yet recorded and not held by another worker.
  ///
  /// - Parameters:
  ///   - points: The points, made lazily.
  ///   - jobs: The most evaluations in flight (at least 1).
  ///   - claim: Claims a point for this worker.
  ///   - evaluate: Evaluates one point; called concurrently.
  ///   - record: Receives each result; called serially.
  ///   - waitForOthers: Waits a while before points other workers held
  ///     are claimed again.
  /// - Returns: How many points were evaluated (not skipped).
  /// - Throws: The first error of `claim`, `record` or `waitForOthers`;
  ///   evaluations in flight are awaited and their results dropped.
  @discardableResult
  public static func run<Points: Sequence>(
    _ points: Points, jobs: Int,
    claim: (DesignPoint) async throws -> PointClaim,
    evaluate: @escaping @Sendable (DesignPoint) -> PointResult,
    record: (PointResult) async throws -> Void,
    waitForOthers: () async throws -> Void
  ) async throws -> Int where Points.Element == DesignPoint {
    let limit = max(1, jobs)
    var evaluated = 0
    try await withThrowingTaskGroup(of: PointResult.self) { group in
      var inFlight = 0
      /// Claims a point once a slot is free and starts it; returns whether
      /// another worker holds it.
      func offer(_ point: DesignPoint) async throws -> Bool {
        if inFlight >= limit, let result = try await group.next() {
          inFlight -= 1
          try await record(result)
        }
        switch try await claim(point) {
        case .recorded: return false
        case .heldElsewhere: return true
        case .claimed:
          group.addTask { evaluate(point) }
          inFlight += 1
          evaluated += 1
          return false
        }
      }
      var held: [DesignPoint] = []
      for point in points where try await offer(point) {
        held.append(point)
      }
      while !held.isEmpty {
        var stillHeld: [DesignPoint] = []
        for point in held where try await offer(point) {
          stillHeld.append(point)
        }
        held = stillHeld
        guard !held.isEmpty else { break }
        if inFlight > 0 {
          // Finish this worker's own points before waiting on others'.
          while let result = try await group.next() {
            try await record(result)
          }
          inFlight = 0
        } else {
          try await waitForOthers()
        }
      }
      while let result = try await group.next() {
        try await record(result)
      }
    }
    return evaluated
  }

  /// Runs every point not yet recorded, for a single worker.
  ///
  /// - Parameters:
  ///   - points: The points, made lazily.
  ///   - jobs: The most evaluations in flight (at least 1).
  ///   - isRecorded: Whether a point already has a result (it is skipped).
  ///   - evaluate: Evaluates one point; called concurrently.
  ///   - record: Receives each result; called serially.
  /// - Returns: How many points were evaluated (not skipped).
  /// - Throws: The first error of `isRecorded` or `record`.
  @discardableResult
  public static func run<Points: Sequence>(
    _ points: Points, jobs: Int,
    isRecorded: (DesignPoint) async throws -> Bool,
    evaluate: @escaping @Sendable (DesignPoint) -> PointResult,
    record: (PointResult) async throws -> Void
  ) async throws -> Int where Points.Element == DesignPoint {
    try await run(
      points, jobs: jobs,
      claim: { try await isRecorded($0) ? .recorded : .claimed },
      evaluate: evaluate, record: record, waitForOthers: {})
  }
}
