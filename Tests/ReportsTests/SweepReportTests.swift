import Foundation
import Reports
import TestSupport
import Testing

@Suite struct SweepReportTests {
  @Test func goldenHTML() throws {
    try GoldenFile.check(
      HTMLReport.render(Fixtures.sweep), against: "tiny-sweep.html")
  }

  @Test func chartsAreWellFormedAndSelfContained() {
    let html = HTMLReport.render(Fixtures.sweep)
    let svgs = XMLCheck.svgElements(html)
    #expect(svgs.count == 3)
    for svg in svgs { #expect(XMLCheck.problem(svg) == nil) }
    #expect(!html.contains("http://") && !html.contains("https://"))
    #expect(html.contains("all=&lt;4&gt;&amp;&quot;x&quot;"))
  }

  @Test func chosenPointIsMarkedAndListed() {
    let html = HTMLReport.render(Fixtures.sweep)
    #expect(html.contains("class=\"chosen\""))
    #expect(
      html.contains("<td>chosen 1</td><td>m on d, batch 1</td><td>energy</td>"))
  }

  @Test func withoutAccuracyTheFrontIsEnergyAndLatency() {
    var sweep = Fixtures.sweep
    for i in sweep.points.indices { sweep.points[i].top1 = nil }
    let html = HTMLReport.render(sweep)
    #expect(html.contains("No point of this sweep has a top-1 accuracy"))
    #expect(XMLCheck.svgElements(html).count == 1)
  }

  /// 10,000 points: the scatter is thinned, the front is drawn whole, the
  /// page stays small.
  @Test func tenThousandPoints() {
    var generator = SplitMix64(seed: 7)
    var points: [SweepReportPoint] = []
    for i in 0..<10_000 {
      let bits = Double(4 + Int(generator.next() % 13))
      let size = Double(8 << Int(generator.next() % 4))
      let noise = Double(generator.next() % 1000) / 1000
      points.append(
        Fixtures.point(
          String(format: "%016x", i),
          energy: 1e-3 * bits / 8 * (1 + noise) * 32 / size,
          latency: 1e-3 * 64 / size * (1 + noise / 2),
          top1: i % 10 == 0 ? nil : 0.5 + bits / 40 - noise / 20))
    }
    let sweep = SweepReport(name: "big", points: points)
    let clock = ContinuousClock()
    var html = ""
    let elapsed = clock.measure { html = HTMLReport.render(sweep) }
    let front = ParetoFront.indices(of: points)
    let outlined = html.components(separatedBy: "class=\"front\"").count - 1
    // Each chart outlines the front points it shows (the first chart shows all).
    #expect(outlined >= front.count)
    #expect(html.utf8.count < 1_500_000, "\(html.utf8.count) bytes")
    #expect(elapsed < .seconds(10), "\(elapsed)")
    for svg in XMLCheck.svgElements(html) {
      #expect(XMLCheck.problem(svg) == nil)
    }
  }
}

/// Issue #18 item 7: fronts per model and device, not one over all models.
@Suite struct SweepReportContextTests {
  /// A cheap model whose point beats every point of an expensive one.
  static var twoModels: SweepReport {
    SweepReport(
      name: "two",
      points: [
        Fixtures.point("cheap", energy: 1e-6, latency: 1e-6, top1: 0.9),
        Fixtures.point(
          "big", energy: 1e-3, latency: 1e-3, top1: 0.8, model: "large"),
        Fixtures.point(
          "big-slow", energy: 2e-3, latency: 2e-3, top1: 0.7, model: "large"),
      ],
      chosen: [
        ChosenMark(
          pointID: "big", context: "large on d, batch 1", objective: "energy",
          budget: 1)
      ])
  }

  /// The point a search chose for the expensive model is on that model's
  /// front, though the cheap model's point dominates it.
  @Test func aChosenPointIsOnItsOwnFront() {
    let html = HTMLReport.render(Self.twoModels)
    #expect(
      html.contains(
        "<td>chosen 1</td><td>large on d, batch 1</td><td>energy</td>"))
    let row = html.components(separatedBy: "\n").first {
      $0.hasPrefix("<tr><td>chosen 1</td>")
    }
    #expect(row?.hasSuffix("<td>yes</td></tr>") == true, "\(row ?? "")")
  }

  @Test func contextsHaveTheirOwnFronts() {
    let points = Self.twoModels.points
    let contexts = SweepContext.contexts(of: points)
    #expect(contexts.map(\.model) == ["large", "m"])
    #expect(
      contexts.map { $0.front.map { points[$0].id } } == [["big"], ["cheap"]])
    #expect(contexts.map(\.indices) == [[1, 2], [0]])
    // One front over everything would keep only the cheap point.
    #expect(ParetoFront.indices(of: points) == [0])
  }
}
