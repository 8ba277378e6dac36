/// Runs design points concurrently, at most `jobs` at a time.
///
/// The runner walks the points in order on the calling task, asks whether
/// each is already recorded (resuming), starts at most `jobs` evaluations
/// as child tasks, and hands every result to `record` on the calling task,
/// one at a time, as soon as it is ready (so results come back in
/// completion order, not point order). Memory holds at most `jobs` points
/// in flight, whatever the sweep's size.
///
/// ```swift
/// try await SweepRunner.run(points, jobs: 2,
///   isRecorded: { try await store.contains($0.id) },
///   evaluate: { PointEvaluator.evaluate($0, network: n, device: d) },
///   record: { try await store.record($0) })
/// ```
public enum SweepRunner {
  /// Runs every point not yet recorded.
  ///
  /// - Parameters:
  ///   - points: The points, made lazily.
  ///   - jobs: The most evaluations in flight (at least 1).
  ///   - isRecorded: Whether a point already has a result (it is skipped).
  ///   - evaluate: Evaluates one point; called concurrently.
  ///   - record: Receives each result; called serially.
  /// - Returns: How many points were evaluated (not skipped).
  /// - Throws: The first error of `isRecorded` or `record`; evaluations
  ///   in flight are awaited and their results dropped.
  @discardableResult
  public static func run<Points: Sequence>(
    _ points: Points, jobs: Int,
    isRecorded: (DesignPoint) async throws -> Bool,
    evaluate: @escaping @Sendable (DesignPoint) -> PointResult,
    record: (PointResult) async throws -> Void
  ) async throws -> Int where Points.Element == DesignPoint {
    let limit = max(1, jobs)
    var evaluated = 0
    try await withThrowingTaskGroup(of: PointResult.self) { group in
      var inFlight = 0
      for point in points {
        if try await isRecorded(point) { continue }
        if inFlight >= limit, let result = try await group.next() {
          inFlight -= 1
          try await record(result)
        }
        group.addTask { evaluate(point) }
        inFlight += 1
        evaluated += 1
      }
      while let result = try await group.next() {
        try await record(result)
      }
    }
    return evaluated
  }
}
