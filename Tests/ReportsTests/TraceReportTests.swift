import Foundation
import Reports
import Testing

@Suite struct TraceReportTests {
  @Test func goldenHTML() throws {
    try GoldenFile.check(
      HTMLReport.render(Fixtures.run()), against: "tiny-trace.html")
  }

  @Test func goldenCSV() throws {
    try GoldenFile.check(
      Fixtures.run().layersCSV.rendered, against: "tiny-trace.csv")
  }

  @Test func sameInputSameBytes() {
    #expect(
      HTMLReport.render(Fixtures.run()) == HTMLReport.render(Fixtures.run()))
  }

  @Test func chartsAreWellFormedXML() {
    let html = HTMLReport.render(Fixtures.run())
    let svgs = XMLCheck.svgElements(html)
    // Total energy, per-layer energy, timeline, 3 close-ups, roofline.
    #expect(svgs.count == 7)
    for (i, svg) in svgs.enumerated() {
      #expect(
        XMLCheck.problem(svg) == nil, "SVG \(i): \(XMLCheck.problem(svg) ?? "")"
      )
    }
  }

  @Test func selfContained() {
    let html = HTMLReport.render(Fixtures.run())
    for forbidden in [
      "http://", "https://", "<script", "<link", "<img", "@import", "url(",
    ] {
      #expect(!html.contains(forbidden), "the page contains \(forbidden)")
    }
  }

  @Test func hostileLayerNameIsEscaped() {
    let hostile = "<script>alert(\"x&y\")</script>'\u{1}\u{FFFF}"
    let html = HTMLReport.render(Fixtures.run(firstName: hostile))
    #expect(!html.contains("<script"))
    #expect(!html.contains("\u{1}"))
    #expect(
      html.contains(
        "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&#39;\u{FFFD}\u{FFFD}"
      ))
    for svg in XMLCheck.svgElements(html) {
      #expect(XMLCheck.problem(svg) == nil)
    }
  }

  @Test func fusedActivationIsDrawnOnItsProducer() {
    let html = HTMLReport.render(Fixtures.run())
    #expect(html.contains("includes fused relu1"))
    #expect(!html.contains(">relu1</text>"))
  }

  @Test func unlimitedBandwidthHasNoMemoryRoof() {
    var run = Fixtures.run()
    run.dramBandwidth = nil
    run.intervals = run.intervals.filter { $0.engine == .compute }
    let html = HTMLReport.render(run)
    #expect(html.contains("DRAM bandwidth unlimited: no memory roof"))
    #expect(html.contains("no transfer time: DRAM bandwidth is unlimited"))
    #expect(!html.contains(">ridge "))
  }

  @Test func withoutEnginesTheTimelineShowsLayers() {
    var run = Fixtures.run()
    run.intervals = []
    let html = HTMLReport.render(run)
    #expect(
      html.contains("this trace has no engine events")
        || html.contains("This trace has no engine events"))
    #expect(XMLCheck.svgElements(html).count == 4)
  }

  /// ResNet-50-sized runs (about 170 layers, 32 tile groups per engine)
  /// stay small: merged lanes, one tooltip per bar.
  @Test func largeRunStaysSmall() {
    var run = Fixtures.run()
    var layers: [ReportLayer] = []
    var intervals: [EngineInterval] = []
    var start = 0.0
    for i in 0..<170 {
      var l = run.layers[i % 2 == 0 ? 0 : 2]
      l.name = "/layer\(i / 10)/block\(i % 10)/conv/Conv"
      l.start = start
      for g in 0..<32 {
        for (k, engine) in EngineInterval.Engine.allCases.enumerated() {
          intervals.append(
            EngineInterval(
              layer: l.name, engine: engine,
              start: start + Double(g) * l.latency / 32 + Double(k) * 1e-7,
              duration: l.latency / 40, firstTile: g))
        }
      }
      start += l.latency
      layers.append(l)
    }
    run.layers = layers
    run.intervals = intervals
    run.latency = start
    let html = HTMLReport.render(run)
    #expect(html.utf8.count < 400_000, "\(html.utf8.count) bytes")
    for svg in XMLCheck.svgElements(html) {
      #expect(XMLCheck.problem(svg) == nil)
    }
  }
}
