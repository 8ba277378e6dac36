import EdgeSimCommands
import Foundation
import Testing

/// Issue #18 item 7, through `edgesim sweep` and `edgesim report --html`: a
/// sweep of two models where every point of one beats every point of the
/// other still shows each model's own front, in the front table, in the
/// charts' legend and in the markers' shapes.
@Suite struct SweepReportFrontsTests {
  static let tiny = """
    name: tiny
    input: {name: input, shape: [1, 4, 8, 8]}
    layers:
      - {name: conv1, op: conv, filters: 4, kernel: 3, padding: 1}
    """
  /// Far more MACs than `tiny`: each of its points costs more energy and
  /// time than each of tiny's on the same array sides.
  static let wide = """
    name: wide
    input: {name: input, shape: [1, 8, 16, 16]}
    layers:
      - {name: conv1, op: conv, filters: 16, kernel: 3, padding: 1}
      - {name: conv2, op: conv, filters: 16, kernel: 3, padding: 1}
    """
  static let spec = """
    name: two-models
    models: [tiny.yaml, wide.yaml]
    devices: systolic-32x32
    hardware:
      array_size: [8, 32]
    """

  /// The page `edgesim report --html` writes for the two-model sweep.
  static func page() async throws -> String {
    let folder = try TemporaryFolder()
    for (name, text) in [
      ("tiny.yaml", tiny), ("wide.yaml", wide), ("spec.yaml", spec),
    ] {
      try text.write(
        toFile: folder.path(name), atomically: true, encoding: .utf8)
    }
    let sweep = await EdgeSimMain.capture([
      "sweep", folder.path("spec.yaml"), "--db", folder.path("r.sqlite"),
    ])
    #expect(sweep.status == 0, "\(sweep.standardError)")
    let report = await EdgeSimMain.capture([
      "report", folder.path("r.sqlite"), "--html", folder.path("r.html"),
    ])
    #expect(report.status == 0, "\(report.standardError)")
    return try String(contentsOfFile: folder.path("r.html"), encoding: .utf8)
  }

  /// The rows of the front table (the last table, under "Pareto front…").
  static func frontRows(_ page: String) throws -> [Substring] {
    let heading = try #require(page.range(of: "<h2>Pareto front"))
    let rest = page[heading.upperBound...]
    let end = try #require(rest.range(of: "</table>"))
    return rest[..<end.lowerBound].components(separatedBy: "\n")
      .filter { $0.hasPrefix("<tr><td") }.map { Substring($0) }
  }

  @Test func eachModelHasItsOwnFront() async throws {
    let page = try await Self.page()
    let rows = try Self.frontRows(page)
    // Array side 32 beats 8 for both models; tiny beats wide everywhere, yet
    // wide's best point is on wide's front.
    #expect(rows.count == 2, "\(rows)")
    #expect(rows.contains { $0.contains("<td>tiny.yaml</td>") }, "\(rows)")
    #expect(rows.contains { $0.contains("<td>wide.yaml</td>") }, "\(rows)")
    #expect(
      rows.allSatisfy { $0.contains("<td>array_size=32</td>") }, "\(rows)")
    #expect(page.contains("2 fronts, 2 points"))
  }

  @Test func theLegendAndMarkersTellTheModelsApart() async throws {
    let page = try await Self.page()
    let chart = try #require(
      page.range(of: "<svg").flatMap { start in
        page.range(of: "</svg>", range: start.upperBound..<page.endIndex).map {
          page[start.lowerBound..<$0.upperBound]
        }
      })
    // The legend names each model in the chart itself.
    #expect(chart.contains("tiny.yaml</text>"))
    #expect(chart.contains("wide.yaml</text>"))
    // Each front point is outlined, in its model's shape: the element that
    // carries its tooltip differs between the models.
    var shapes: [String: String] = [:]
    let pattern = try Regex(
      #"<(circle|path)[^>]*class="front"[^>]*><title>on the Pareto front of ([a-z]+)\.yaml"#
    )
    for match in String(chart).matches(of: pattern) {
      let tag = match.output[1].substring.map(String.init) ?? ""
      let model = match.output[2].substring.map(String.init) ?? ""
      shapes[model] = tag
    }
    #expect(shapes.keys.sorted() == ["tiny", "wide"], "\(shapes)")
    #expect(shapes["tiny"] != shapes["wide"], "\(shapes)")
  }
}
