import Foundation
import Testing

/// The import graph of the library targets, drawn from the `import` lines,
/// and `Documentation/Architecture.md`'s copy of it.
///
/// The document's table sits between two markers; this test fails when it
/// differs from the real imports, and `RECORD_GOLDEN=1` (or
/// `Scripts/architecture-graph.sh`) rewrites it.
@Suite struct ImportGraphTests {
  static let root = DependencyDirectionTests.root
  static let document = root.appendingPathComponent(
    "Documentation/Architecture.md")
  static let begin =
    "<!-- import-graph: generated from the import lines; Scripts/architecture-graph.sh rewrites it -->"
  static let end = "<!-- /import-graph -->"

  /// Each library target with the targets and other modules it imports.
  static func graph() throws -> [String: (targets: [String], others: [String])]
  {
    let manifest = try PackageManifest.load(root: root)
    let library = manifest.targets.filter {
      $0.kind != .test && $0.path.hasPrefix("Sources/")
    }
    let names = Set(library.map(\.name))
    var graph: [String: (targets: [String], others: [String])] = [:]
    for target in library {
      let modules = Set(SourceImports.imports(of: target, root: root).keys)
        .subtracting([target.name])
      graph[target.name] = (
        modules.filter { names.contains($0) }.sorted(),
        modules.filter { !names.contains($0) }.sorted()
      )
    }
    return graph
  }

  /// The longest chain of imports below each target (0: imports no target).
  static func depths(
    _ graph: [String: (targets: [String], others: [String])]
  ) -> [String: Int] {
    var depths: [String: Int] = [:]
    func depth(_ name: String, _ visiting: Set<String>) -> Int {
      if let known = depths[name] { return known }
      guard !visiting.contains(name) else { return 0 }  // a cycle
      let below = (graph[name]?.targets ?? []).map {
        depth($0, visiting.union([name])) + 1
      }
      let value = below.max() ?? 0
      depths[name] = value
      return value
    }
    for name in graph.keys { _ = depth(name, []) }
    return depths
  }

  /// The table, top of the house first.
  static func table() throws -> String {
    let graph = try graph()
    let depths = depths(graph)
    let order = graph.keys.sorted {
      (depths[$0] ?? 0, $1) > (depths[$1] ?? 0, $0)
    }
    func list(_ names: [String]) -> String {
      names.isEmpty ? "—" : names.map { "`\($0)`" }.joined(separator: ", ")
    }
    var lines = [
      "| depth | target | imports targets | imports other modules |",
      "|---|---|---|---|",
    ]
    for name in order {
      let entry = graph[name] ?? ([], [])
      lines.append(
        "| \(depths[name] ?? 0) | `\(name)` | \(list(entry.targets)) | \(list(entry.others)) |"
      )
    }
    return lines.joined(separator: "\n")
  }

  @Test func documentShowsTheRealGraph() throws {
    let text = try String(contentsOf: Self.document, encoding: .utf8)
    let table = try Self.table()
    guard let start = text.range(of: Self.begin),
      let stop = text.range(
        of: Self.end, range: start.upperBound..<text.endIndex)
    else {
      Issue.record("Architecture.md lacks the import-graph markers")
      return
    }
    let written = text[start.upperBound..<stop.lowerBound]
      .trimmingCharacters(in: .whitespacesAndNewlines)
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
      let updated = text.replacingCharacters(
        in: start.upperBound..<stop.lowerBound, with: "\n" + table + "\n")
      try updated.write(to: Self.document, atomically: true, encoding: .utf8)
      print(table)
      return
    }
    #expect(
      written == table,
      "Architecture.md's import graph differs from the imports; run Scripts/architecture-graph.sh\n\(table)"
    )
  }

  /// The graph has no cycle (SwiftPM refuses one; the depths assume none).
  @Test func graphIsAcyclic() throws {
    let graph = try Self.graph()
    var state: [String: Int] = [:]  // 1 visiting, 2 done
    func visit(_ name: String, _ path: [String]) {
      if state[name] == 2 { return }
      if state[name] == 1 {
        Issue.record(
          "import cycle: \((path + [name]).joined(separator: " -> "))")
        return
      }
      state[name] = 1
      for next in graph[name]?.targets ?? [] { visit(next, path + [name]) }
      state[name] = 2
    }
    for name in graph.keys.sorted() { visit(name, []) }
  }
}
