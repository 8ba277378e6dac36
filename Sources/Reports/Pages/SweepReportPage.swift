import Foundation

/// The report of a sweep: counts, the energy–latency scatter, accuracy
/// against energy and latency, the chosen points and the Pareto fronts, one
/// per model and device, as a table.
enum SweepReportPage {
  static func render(_ sweep: SweepReport) -> String {
    let points = sweep.points
    let contexts = SweepContext.contexts(of: points)
    let scatter = SweepScatter(sweep, contexts: contexts)
    let front = scatter.front
    let title = sweep.name.map { "Sweep \($0)" } ?? "Sweep"
    var body = "<h1>\(Escaping.text(title))</h1>\n"
    let evaluated = points.filter { $0.top1?.isFinite ?? false }.count
    body +=
      "<p class=\"lead\">EdgeSim sweep report · \(points.count) completed points"
    for status in sweep.notDone.keys.sorted()
    where (sweep.notDone[status] ?? 0) > 0 {
      body += " · \(sweep.notDone[status] ?? 0) \(Escaping.text(status))"
    }
    body += " · top-1 evaluated for \(evaluated)</p>\n"
    let models = Set(points.map(\.model)).sorted()
    let devices = Set(points.map(\.device)).sorted()
    let facts: [[String]] =
      [
        ["models", models.joined(separator: ", ")],
        ["devices", devices.joined(separator: ", ")],
        [
          "Pareto fronts (accuracy, energy, latency), one per model and device",
          (contexts.count == 1 ? "1 front, " : "\(contexts.count) fronts, ")
            + (front.count == 1 ? "1 point" : "\(front.count) points"),
        ],
        [
          "chosen by the precision search",
          sweep.chosen.isEmpty ? "none recorded" : "\(sweep.chosen.count)",
        ],
      ]
      + sweep.floatTop1.keys.sorted().map {
        [
          "float top-1 of \($0)",
          NumberFormat.percent(sweep.floatTop1[$0] ?? .nan),
        ]
      }
    body += PageTemplate.table(
      header: [], rows: facts.map { $0.map(Escaping.text) }, class: "facts")
    let frontText =
      "Each model on each device has its own Pareto front: a point is on it when no other point of the same model and device is at least as good on accuracy, energy and latency together and better on one of them; a point without an accuracy counts as less accurate than any evaluated one. Markers are shaped by model (see the legend below the chart); front points are outlined in black, chosen points have a red diamond."
    let thinning =
      points.count > 2000
      ? " With \(points.count) points, each \(NumberFormat.coordinate(SweepScatter.cell))-pixel spot shows one point (the most accurate) for all the points in it; front and chosen points are always drawn."
      : ""
    body += PageTemplate.section(
      "Energy against latency",
      explain: frontText
        + " Each dashed staircase is a model and device's front of energy and latency alone, in the legend's colour."
        + thinning,
      EnergyLatencyChart.render(scatter))
    for axis in [AccuracyChart.Axis.energy, .latency] {
      let name = axis == .energy ? "energy" : "latency"
      if let chart = AccuracyChart.render(scatter, against: axis) {
        body += PageTemplate.section(
          "Accuracy against \(name)",
          explain:
            "Points whose top-1 accuracy was evaluated. Each dashed staircase is a model and device's front of accuracy and \(name) alone, in the legend's colour; grey dashed horizontal lines are each model's float accuracy.",
          chart)
      } else if axis == .energy {
        body += PageTemplate.section(
          "Accuracy",
          explain:
            "No point of this sweep has a top-1 accuracy (the sweep did not evaluate accuracy), so the fronts above are fronts of energy and latency.",
          "")
      }
    }
    if !sweep.chosen.isEmpty {
      body += PageTemplate.section(
        "Chosen points",
        explain:
          "The points the precision search chose: for each context, the point that minimises the objective while keeping top-1 within the budget (in accuracy points) of float. On its front: whether the point is on the Pareto front of its model and device.",
        chosenTable(sweep, scatter: scatter, front: Set(front)))
    }
    body += PageTemplate.section(
      "Pareto fronts",
      explain:
        "Every point of each model and device's front, by model, device and increasing energy.",
      frontTable(sweep, front: front, scatter: scatter))
    return PageTemplate.page(title: "\(title): EdgeSim report", body: body)
  }

  static func figures(_ p: SweepReportPoint) -> [String] {
    [
      NumberFormat.si(p.latency, "s"), NumberFormat.si(p.energy, "J"),
      p.top1.map(NumberFormat.percent) ?? "-",
    ]
  }

  static func chosenTable(
    _ sweep: SweepReport, scatter: SweepScatter, front: Set<Int>
  ) -> String {
    var rows: [[String]] = []
    for (n, mark) in sweep.chosen.enumerated() {
      let hit = scatter.chosen.first { $0.mark == mark }
      var row = [
        "chosen \(n + 1)", mark.context, mark.objective,
        NumberFormat.significant(mark.budget) + " pt", mark.pointID,
      ]
      if let i = hit?.index {
        row += figures(sweep.points[i]) + [front.contains(i) ? "yes" : "no"]
      } else {
        row += ["-", "-", "-", "not among the completed points"]
      }
      rows.append(row.map(Escaping.text))
    }
    return PageTemplate.table(
      header: [
        "mark", "context", "objective", "budget", "point", "latency", "energy",
        "top-1", "on its front",
      ],
      rows: rows, numeric: [3, 5, 6, 7])
  }

  /// The fronts as a table, by context (model, device), then increasing
  /// energy.
  ///
  /// Points with the same model, device, batch and figures (settings that
  /// change nothing, such as fractional lengths when accuracy is not evaluated)
  /// share one row, which names the first and counts the others.
  static func frontTable(
    _ sweep: SweepReport, front: [Int], scatter: SweepScatter
  ) -> String {
    let chosenIndices = Dictionary(
      scatter.chosen.enumerated().map { ($0.element.index, $0.offset + 1) },
      uniquingKeysWith: { a, _ in a })
    var groups: [[Int]] = []
    var position: [TieKey: Int] = [:]
    for i in front {
      let key = TieKey(sweep.points[i])
      if let g = position[key], chosenIndices[i] == nil,
        !groups[g].contains(where: { chosenIndices[$0] != nil })
      {
        groups[g].append(i)
      } else {
        position[key] = position[key] ?? groups.count
        groups.append([i])
      }
    }
    var rows: [[String]] = []
    for (n, group) in groups.enumerated() {
      guard let i = group.first else { continue }
      let p = sweep.points[i]
      let others =
        group.count > 1 ? " (+\(group.count - 1) with the same figures)" : ""
      var row = [
        String(n + 1), p.id + others, p.model, p.device, String(p.batch),
        p.precision.isEmpty ? "-" : p.precision,
        p.hardware.isEmpty ? "-" : p.hardware,
      ]
      row += figures(p)
      if let float = sweep.floatTop1[p.model], let top1 = p.top1 {
        row.append(String(format: "%+.2f pt", (top1 - float) * 100))
      } else {
        row.append("-")
      }
      row.append(chosenIndices[i].map { "chosen \($0)" } ?? "")
      rows.append(row.map(Escaping.text))
    }
    return PageTemplate.table(
      header: [
        "#", "point", "model", "device", "batch", "precision", "hardware",
        "latency", "energy", "top-1", "vs float", "chosen",
      ],
      rows: rows, numeric: [0, 4, 7, 8, 9, 10])
  }

  /// What makes front points indistinguishable in the table.
  struct TieKey: Hashable {
    var model: String
    var device: String
    var batch: Int
    var latency: Double
    var energy: Double
    var top1: Double?

    init(_ p: SweepReportPoint) {
      model = p.model
      device = p.device
      batch = p.batch
      latency = p.latency
      energy = p.energy
      top1 = p.top1
    }
  }
}
