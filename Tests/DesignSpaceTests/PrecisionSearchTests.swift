import DesignSpace
import PrecisionModel
import Synchronization
import Testing

/// The precision search against a synthetic oracle whose optimum is known:
/// energy falls linearly with each layer's bits (weighted by layer), and
/// top-1 loses a known amount per layer below a knee.
@Suite struct PrecisionSearchTests {
  /// Energy weight of each layer (conv2 dominates).
  static let weights = ["conv1": 1.0, "conv2": 5.0, "fc": 2.0]
  /// The bits below which each layer starts to cost accuracy, and how much
  /// per bit (fraction of top-1).
  static let knees = [
    "conv1": (4, 0.004), "conv2": (5, 0.003), "fc": (3, 0.02),
  ]
  static let floatTop1 = 0.98

  static func plan(
    bits: ClosedRange<Int> = 2...8, fls: [Int?] = [nil],
    devices: [String] = ["d"]
  ) -> SweepPlan {
    let axes = ["conv1", "conv2", "fc"].map { name in
      PrecisionAxis(
        label: name, layers: .named([name]),
        settings: bits.reversed().flatMap { b in
          fls.map { PrecisionSetting(bits: b, fractionalLength: $0) }
        })
    }
    return SweepPlan(
      name: "t",
      studies: [Study(models: ["m"], devices: devices, precisionAxes: axes)],
      strategy: .search(SearchGoal(maxAccuracyDrop: 1.0)))
  }

  /// Bits of a layer at a point.
  static func bits(_ point: DesignPoint, _ layer: String) -> Int {
    point.precision.first { $0.axis == layer }?.setting.bits ?? 8
  }

  static func oracle(_ point: DesignPoint) -> PointResult {
    var energy = 0.0
    var top1 = floatTop1
    for (layer, weight) in weights {
      let b = bits(point, layer)
      energy += weight * Double(b)
      let (knee, cost) = knees[layer, default: (0, 0)]
      if b < knee { top1 -= cost * Double(knee - b) }
      // A fractional length other than 5 costs a little.
      if let fl = point.precision.first(where: { $0.axis == layer })?.setting
        .weightFractionalLength, fl != 5
      {
        top1 -= 0.001 * Double(abs(fl - 5))
      }
    }
    if point.device == "tiny" {
      return PointResult(point: point, status: .infeasible(reason: "too small"))
    }
    return PointResult(
      point: point,
      status: .done(
        PointMetrics(
          latency: energy / 10, energy: energy, macEnergy: energy,
          operationEnergy: 0, dramEnergy: 0,
          onChipEnergy: 0, staticEnergy: 0, dramBytes: 0, top1: top1)))
  }

  /// Counts evaluations across tasks.
  final class Counter: Sendable {
    let count = Mutex(0)
  }

  static func search(
    _ plan: SweepPlan, jobs: Int = 2, calls: Counter? = nil,
    evaluate: @escaping @Sendable (DesignPoint) -> PointResult = oracle
  ) async throws -> SearchOutcome {
    guard case .search(let goal) = plan.strategy else {
      throw CancellationError()
    }
    let context = plan.searchContexts()[0]
    return try await PrecisionSearch.run(
      context: context, in: plan, goal: goal, floatTop1: floatTop1, jobs: jobs,
      evaluate: { point in
        calls?.count.withLock { $0 += 1 }
        return evaluate(point)
      })
  }

  @Test func choosesAPointWithinBudgetThatNoSingleMoveImproves() async throws {
    let plan = Self.plan()
    let outcome = try await Self.search(plan)
    let chosen = try #require(outcome.chosen)
    guard case .done(let metrics) = chosen.status,
      case .done(let start) = outcome.start.status
    else {
      Issue.record("not done")
      return
    }
    #expect(start.energy == 64)  // every layer at 8 bits
    #expect(metrics.energy < start.energy)
    let floor = Self.floatTop1 - 0.01
    #expect(try #require(metrics.top1) >= floor)
    // Locally optimal: lowering any layer by one more bit breaks the budget
    // (or is impossible at 2 bits).
    for layer in ["conv1", "conv2", "fc"]
    where Self.bits(chosen.point, layer) > 2 {
      var lower = chosen.point
      for i in lower.precision.indices where lower.precision[i].axis == layer {
        lower.precision[i].setting.bits -= 1
      }
      guard case .done(let m) = Self.oracle(lower).status else { continue }
      #expect(
        try #require(m.top1) < floor,
        "lowering \(layer) would have stayed within budget")
    }
    // This oracle is separable, so the greedy walk by saving per point
    // lost reaches the exhaustive optimum over all 7³ points.
    var best = Double.infinity
    for index in 0..<(try plan.totalCount()) {
      guard case .done(let m) = Self.oracle(plan.point(at: index)).status,
        let top1 = m.top1,
        top1 >= floor
      else { continue }
      best = min(best, m.energy)
    }
    #expect(metrics.energy == best)
    #expect(outcome.steps.last?.pointID == chosen.point.id)
    #expect(outcome.context == "model=m;device=d;batch=1")
  }

  @Test func theWalkIsTheSameWhateverTheNumberOfJobs() async throws {
    let plan = Self.plan()
    let one = try await Self.search(plan, jobs: 1)
    let four = try await Self.search(plan, jobs: 4)
    #expect(one == four)
  }

  @Test func evaluatesEachPointOnceAndBoundsTheWork() async throws {
    let plan = Self.plan()
    let calls = Counter()
    let outcome = try await Self.search(plan, calls: calls)
    #expect(calls.count.withLock { $0 } == outcome.evaluations)
    // At most Σ levels steps of at most (axes) evaluations each, plus the start.
    #expect(outcome.evaluations <= 1 + 3 * 7 * 3)
  }

  @Test func keepsTheMostAccurateFractionalLengthOfALevel() async throws {
    let plan = Self.plan(bits: 6...8, fls: [3, 4, 5, 6])
    let outcome = try await Self.search(plan)
    let chosen = try #require(outcome.chosen)
    for choice in chosen.point.precision {
      #expect(choice.setting.weightFractionalLength == 5, "\(choice.axis)")
    }
  }

  @Test func choosesNothingWhenTheMostPrecisePointMissesTheBudget() async throws
  {
    let plan = Self.plan()
    let outcome = try await Self.search(plan) { point in
      var result = Self.oracle(point)
      if case .done(var m) = result.status {
        m.top1 = 0.5
        result.status = .done(m)
      }
      return result
    }
    #expect(outcome.chosen == nil)
    #expect(outcome.reason?.contains("below the budget's floor 97.0%") == true)
  }

  @Test func anInfeasibleStartIsReportedNotChosen() async throws {
    let plan = Self.plan(devices: ["tiny"])
    let outcome = try await Self.search(plan)
    #expect(outcome.chosen == nil)
    #expect(outcome.reason == "the most precise point is infeasible: too small")
  }

  @Test func aFailingMoveFreezesItsAxisButOthersGoOn() async throws {
    let plan = Self.plan()
    let outcome = try await Self.search(plan) { point in
      if Self.bits(point, "conv2") < 8 {
        return PointResult(point: point, status: .failed(error: "no"))
      }
      return Self.oracle(point)
    }
    let chosen = try #require(outcome.chosen)
    #expect(Self.bits(chosen.point, "conv2") == 8)
    #expect(Self.bits(chosen.point, "conv1") < 8)
  }

  @Test func contextsCoverModelsDevicesBatchesAndHardwareAndShard() {
    let axes = [
      PrecisionAxis(
        label: "all", layers: .all, settings: [PrecisionSetting(bits: 8)])
    ]
    let plan = SweepPlan(
      name: "t",
      studies: [
        Study(
          models: ["a", "b"], devices: ["d"], batches: [1, 2],
          precisionAxes: axes,
          hardwareAxes: [HardwareAxis(parameter: .arraySize, values: [8, 16])])
      ])
    let all = plan.searchContexts()
    #expect(all.count == 8)
    #expect(all[0].name == "model=a;device=d;batch=1;hardware[array_size]=8")
    #expect(all[7].name == "model=b;device=d;batch=2;hardware[array_size]=16")
    let parts = (1...3).map {
      plan.searchContexts(in: Shard(index: $0, count: 3)!)
    }
    #expect(
      parts.flatMap { $0 }.map(\.name).sorted() == all.map(\.name).sorted())
    // A context's points are the plan's own points.
    let point = plan.point(in: all[5], settings: [0])
    #expect(plan.point(at: point.index) == point)
  }
}
