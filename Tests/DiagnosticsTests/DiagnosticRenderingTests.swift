import Testing

@testable import Diagnostics

@Suite struct DiagnosticRenderingTests {
  @Test func rendersLocationSourceLineCaretAndHint() {
    let d = Diagnostic.error(
      "unknown key 'clok'",
      at: SourceLocation(file: "a.yaml", line: 2, column: 3),
      hint: "did you mean 'clock'?")
    let text = d.rendered(source: "name: x\n  clok: 1 GHz\n")
    #expect(
      text == """
        a.yaml:2:3: error: unknown key 'clok'
            clok: 1 GHz
            ^
          hint: did you mean 'clock'?
        """)
  }

  @Test func withoutSourceOnlyTheHeadAndHint() {
    let d = Diagnostic.warning(
      "w", at: SourceLocation(file: "m.onnx", entity: "node 'conv1' (Conv)"))
    #expect(
      d.rendered(source: nil) == "m.onnx (node 'conv1' (Conv)): warning: w")
  }

  @Test func caretCountsUnicodeScalarsAndTabs() {
    let d = Diagnostic.error(
      "x", at: SourceLocation(file: "f", line: 1, column: 4))
    let lines = d.rendered(source: "é\tab").split(separator: "\n")
    #expect(lines[1] == "  é ab")
    #expect(lines[2] == "     ^")
  }

  @Test func longLinesAreCutAroundTheColumn() {
    let line =
      String(repeating: "x", count: 100_000) + "BAD"
      + String(repeating: "y", count: 100_000)
    let d = Diagnostic.error(
      "x", at: SourceLocation(file: "f", line: 1, column: 100_001))
    let lines = d.rendered(source: line).split(separator: "\n")
    #expect(lines[1].count < 200)
    #expect(lines[1].contains("BAD"))
    let caret = lines[2].firstIndex(of: "^").map {
      lines[2].distance(from: lines[2].startIndex, to: $0)
    }
    let bad = lines[1].firstRange(of: "BAD").map {
      lines[1].distance(from: lines[1].startIndex, to: $0.lowerBound)
    }
    #expect(caret == bad)
  }

  @Test func lineLookupHandlesCRLFAndMissingLines() {
    #expect(Diagnostic.line(2, of: "a\r\nb\r\nc") == "b")
    #expect(Diagnostic.line(3, of: "a\nb\nc") == "c")
    #expect(Diagnostic.line(4, of: "a\nb\nc") == nil)
    #expect(Diagnostic.line(0, of: "a") == nil)
  }

  @Test func sortingIsByFileLineColumnAndStable() {
    let a = Diagnostic.error(
      "a", at: SourceLocation(file: "f", line: 3, column: 1))
    let b = Diagnostic.error(
      "b", at: SourceLocation(file: "f", line: 1, column: 9))
    let c = Diagnostic.error("c", at: nil)
    let d = Diagnostic.error(
      "d", at: SourceLocation(file: "f", line: 1, column: 9))
    #expect(
      [a, b, c, d].sortedByLocation().map(\.message) == ["c", "b", "d", "a"])
  }

  @Test func pathsRenderAndLocate() {
    let path: FieldPath = ["memory", 2, "size"]
    #expect(path.description == "memory[2].size")
    #expect(FieldPath([]).description == "(top level)")
    let problem = PathDiagnostic.error("too big", at: path, hint: "h")
    let located = problem.located { _ in
      SourceLocation(file: "f", line: 9, column: 2)
    }
    #expect(located.location?.line == 9)
    #expect(located.hint == "h")
  }
}

@Suite struct SuggestionTests {
  @Test func distance() {
    #expect(Suggestions.distance("clock", "clok") == 1)
    #expect(Suggestions.distance("", "abc") == 3)
    #expect(Suggestions.distance("Kind", "kind") == 0)
    #expect(
      Suggestions.distance(String(repeating: "a", count: 100), "a") == Int.max)
  }

  @Test func closestWithinABoundThatGrowsWithLength() {
    #expect(
      Suggestions.closest(to: "clok", among: ["clock", "kind"]) == "clock")
    #expect(Suggestions.closest(to: "zzzz", among: ["clock", "kind"]) == nil)
    #expect(
      Suggestions.closest(
        to: "double_bufered", among: ["double_buffered", "holds"])
        == "double_buffered")
  }

  @Test func hintListsTheChoices() {
    #expect(
      Suggestions.hint(for: "npux", among: ["cpu", "npu"])
        == "did you mean 'npu'? expected one of: cpu, npu")
    #expect(
      Suggestions.hint(for: "zzz", among: ["cpu"]) == "expected one of: cpu")
  }
}
