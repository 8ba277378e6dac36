import EdgeSimCommands
import Foundation
import Testing

/// Issue #18 item 3: `compare` leads with the totals and shows the layers
/// whose time changed most; `--all` shows every layer.
@Suite struct CompareCompactTests {
  @Test func totalsFirstThenTheLayersThatChangedMost() async throws {
    let folder = try TemporaryFolder()
    let a = folder.path("a")
    let b = folder.path("b")
    for (trace, precision) in [(a, "int16"), (b, "int8")] {
      let run = await EdgeSimMain.capture([
        "simulate", "--hardware", "pixel3-cpu", "--model", "resnet18",
        "--precision", precision, "--trace", trace,
      ])
      #expect(run.status == 0, "\(run.standardError)")
    }
    let compact = await EdgeSimMain.capture(["compare", a, b, "--top", "5"])
    #expect(compact.status == 0, "\(compact.standardError)")
    let lines = compact.standardOutput.split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init)
    #expect(lines[3].hasPrefix("latency ×"))
    let heading = try #require(
      lines.firstIndex { $0.hasPrefix("the 5 layers whose time changed most") })
    #expect(heading < lines.count - 8)
    // Heading, column names, rule, 5 layers, then the total row.
    #expect(lines[heading + 8].hasPrefix("total"))
    let all = await EdgeSimMain.capture(["compare", a, b, "--all"])
    #expect(!all.standardOutput.contains("whose time changed most"))
    #expect(
      all.standardOutput.split(separator: "\n").count
        > compact.standardOutput.split(separator: "\n").count + 20)
  }
}
