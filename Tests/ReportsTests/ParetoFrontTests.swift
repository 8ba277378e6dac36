import Reports
import TestSupport
import Testing

@Suite struct ParetoFrontTests {
  typealias P = SweepReportPoint

  static func ids(_ points: [P], _ objectives: ParetoFront.Objectives = .all)
    -> [String]
  {
    ParetoFront.indices(of: points, objectives: objectives).map {
      points[$0].id
    }
  }

  @Test func handMadeSet() {
    // a dominates e (same cost, more accurate) and c; d is cheapest in energy
    // without an accuracy; b is fastest and most accurate.
    #expect(Self.ids(Fixtures.sweep.points) == ["d", "a", "b"])
  }

  @Test func exactTiesAreBothOnTheFront() {
    let points = [
      Fixtures.point("y", energy: 1, latency: 1, top1: 0.5),
      Fixtures.point("x", energy: 1, latency: 1, top1: 0.5),
      Fixtures.point("z", energy: 1, latency: 1, top1: 0.4),
    ]
    #expect(Self.ids(points) == ["x", "y"])
  }

  @Test func tieOnTwoObjectivesBetterOnOneDominates() {
    let points = [
      Fixtures.point("slow", energy: 1, latency: 2, top1: 0.5),
      Fixtures.point("fast", energy: 1, latency: 1, top1: 0.5),
    ]
    #expect(Self.ids(points) == ["fast"])
  }

  @Test func missingAccuracyIsWorseThanAnyMeasuredOne() {
    let points = [
      Fixtures.point("unknown", energy: 1, latency: 1, top1: nil),
      Fixtures.point("measured", energy: 1, latency: 1, top1: 0.01),
      Fixtures.point("cheaper-unknown", energy: 0.5, latency: 1, top1: nil),
      Fixtures.point("nan", energy: 1, latency: 1, top1: .nan),
    ]
    #expect(Self.ids(points) == ["cheaper-unknown", "measured"])
    // Without accuracy, only energy and latency count.
    #expect(Self.ids(points, [.energy, .latency]) == ["cheaper-unknown"])
  }

  @Test func nonFiniteFiguresAreIgnored() {
    let points = [
      Fixtures.point("inf", energy: .infinity, latency: 0, top1: 1),
      Fixtures.point("nan", energy: .nan, latency: 0, top1: 1),
      Fixtures.point("ok", energy: 1, latency: 1, top1: 0.5),
    ]
    #expect(Self.ids(points) == ["ok"])
  }

  @Test func emptySet() {
    #expect(ParetoFront.indices(of: []).isEmpty)
  }

  /// Against the definition, checked pair by pair, on seeded random sets
  /// with many ties (values drawn from small sets) and missing accuracies.
  @Test(arguments: 0..<20)
  func matchesTheDefinition(seed: UInt64) {
    var g = SplitMix64(seed: seed)
    let points = (0..<200).map { i in
      Fixtures.point(
        "p\(i)", energy: Double(g.next() % 8), latency: Double(g.next() % 8),
        top1: g.next() % 5 == 0 ? nil : Double(g.next() % 6) / 10)
    }
    for objectives: ParetoFront.Objectives in [
      .all, [.energy, .latency], [.energy, .accuracy], [.latency, .accuracy],
    ] {
      let expected = Set(
        points.indices.filter { p in
          !points.indices.contains { q in
            ParetoFront.dominates(points[q], points[p], objectives)
          }
        })
      #expect(
        Set(ParetoFront.indices(of: points, objectives: objectives))
          == expected, "seed \(seed)")
    }
  }
}
