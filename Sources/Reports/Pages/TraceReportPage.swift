/// The report of one simulated run: facts and totals, the energy split,
/// per-layer energy bars, the engines' timeline and the roofline.
enum TraceReportPage {
  static func render(_ run: TraceReport) -> String {
    let title = "\(run.model) on \(run.device)"
    var body = "<h1>\(Escaping.text(title))</h1>\n"
    body +=
      "<p class=\"lead\">EdgeSim simulation report · precision \(Escaping.text(run.precision)) · batch \(run.batch)</p>\n"
    let timed = run.layers.filter { $0.latency > 0 }
    let bounds = Dictionary(grouping: RooflineChart.plotted(run), by: \.bound)
      .mapValues(\.count)
    let boundText = RooflineChart.orderedBounds(RooflineChart.plotted(run)).map
    { "\($0): \(bounds[$0] ?? 0)" }
    .joined(separator: ", ")
    let facts: [[String]] = [
      ["latency of the batch", NumberFormat.si(run.latency, "s")],
      ["energy per inference", NumberFormat.si(run.totalEnergy, "J")],
      ["DRAM traffic of the batch", NumberFormat.bytes(run.dramBytes)],
      ["MAC utilisation", NumberFormat.percent(run.utilization)],
      ["peak compute", NumberFormat.si(run.peakOperationsPerSecond, "OP/s")],
      [
        "DRAM bandwidth",
        run.dramBandwidth.flatMap {
          $0.isFinite ? NumberFormat.si($0, "B/s") : nil
        } ?? "unlimited",
      ],
      ["layers", "\(run.layers.count) (\(timed.count) take time)"],
      ["layers by bound", boundText.isEmpty ? "-" : boundText],
    ]
    body += PageTemplate.table(
      header: [],
      rows: facts.map { [Escaping.text($0[0]), Escaping.text($0[1])] },
      class: "facts")
    body += PageTemplate.section(
      "Energy per inference",
      explain:
        "The run's energy split by component: MAC operations, other operations, each on-chip memory level, DRAM (the backing store) and static power × time.",
      EnergyBarsChart.renderTotal(run))
    body += PageTemplate.section(
      "Energy per layer",
      explain:
        "One bar per layer in execution order, stacked by component (same colours as above). Activations fused into a layer are drawn on its bar. Hover over a bar for its figures.",
      EnergyBarsChart.render(run))
    var timeline = TimelineChart.renderOverview(run)
    let explainTimeline: String
    if run.intervals.isEmpty {
      explainTimeline =
        "The layers one after another. This trace has no engine events (its trace.json is missing), so the DMA and compute lanes are not drawn."
    } else {
      explainTimeline =
        "The layers one after another (alternating shades), and below them when each engine is busy: DMA in (DRAM → on-chip), compute, DMA out (on-chip → DRAM). Gaps in the compute lane are stalls or transfers that could not be hidden."
      let slowest = TimelineChart.slowestLayers(run)
      if !slowest.isEmpty {
        timeline +=
          "<p class=\"explain\">Up close, the \(slowest.count) slowest layers: one bar per tile group. With double buffering, the DMA-in of the next group overlaps the compute of the current one.</p>\n"
        for layer in slowest {
          timeline +=
            "<h3>\(Escaping.text(layer.name)) (\(Escaping.text(layer.op))) · \(NumberFormat.si(layer.latency, "s")) · bound \(Escaping.text(layer.bound))</h3>\n"
          timeline += TimelineChart.renderDetail(run, layer: layer) + "\n"
        }
      }
    }
    body += PageTemplate.section("Timeline", explain: explainTimeline, timeline)
    body += PageTemplate.section(
      "Roofline",
      explain:
        "Each layer is a point: right means more operations per DRAM byte, up means faster. The solid line is the most a layer can achieve: the memory roof (intensity × bandwidth) rising to the compute roof (the device's peak), meeting at the ridge point. A layer far below its roof loses time to something else: array utilisation, an on-chip level, or fill and drain. Colours give the bound the simulator found.",
      RooflineChart.render(run))
    return PageTemplate.page(title: "\(title): EdgeSim report", body: body)
  }
}
