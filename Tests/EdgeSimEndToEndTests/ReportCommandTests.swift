import Foundation
import TestSupport
import Testing

/// `edgesim report` of a trace: the page, the CSV, escaping of names from
/// the user's files, and a located error for each bad input.
@Suite struct ReportCommandTests {
  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "edgesim-report-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func reportsATraceWithAHostileLayerName() throws {
    let folder = try Self.folder()
    let model = """
      name: hostile
      input: {name: input, shape: [1, 4, 8, 8]}
      layers:
        - {name: "<b>&\\"x\\"</b>", op: conv, filters: 4, kernel: 3, padding: 1}
        - {name: relu, op: relu}
      """
    try Data(model.utf8).write(
      to: folder.appendingPathComponent("hostile.yaml"))
    let trace = folder.appendingPathComponent("trace").path
    let simulate = try EdgeSimProcess.run([
      "simulate", "--hardware", "eyeriss-v1", "--model",
      folder.appendingPathComponent("hostile.yaml").path,
      "--trace", trace,
    ])
    #expect(simulate.status == 0, "\(simulate.standardError)")
    let html = folder.appendingPathComponent("out/report.html")
    let csv = folder.appendingPathComponent("out/layers.csv")
    let report = try EdgeSimProcess.run([
      "report", trace, "--html", html.path, "--csv", csv.path,
    ])
    #expect(report.status == 0, "\(report.standardError)")
    #expect(report.standardError.contains("wrote \(html.path)"))
    let page = try String(contentsOf: html, encoding: .utf8)
    #expect(page.contains("&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"))
    #expect(!page.contains("<b>&"))
    #expect(!page.contains("http://") && !page.contains("https://"))
    let table = try String(contentsOf: csv, encoding: .utf8)
    #expect(table.hasPrefix("name,op,fused_into,start_s,latency_s,bound,"))
    #expect(table.contains("\"<b>&\"\"x\"\"</b>\",Conv,"))
    // A summary.json names the same trace.
    let again = try EdgeSimProcess.run([
      "report", trace + "/summary.json", "--html", html.path + "2",
    ])
    #expect(again.status == 0, "\(again.standardError)")
    #expect(
      try String(contentsOfFile: html.path + "2", encoding: .utf8) == page)
  }

  @Test func badInputsNameTheFile() throws {
    let folder = try Self.folder()
    let empty = folder.appendingPathComponent("empty").path
    try FileManager.default.createDirectory(
      atPath: empty, withIntermediateDirectories: true)
    let text = folder.appendingPathComponent("notes.txt").path
    try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
    let fake = folder.appendingPathComponent("fake.sqlite").path
    try Data("SQLite format 3\0garbage".utf8).write(
      to: URL(fileURLWithPath: fake))
    let out = folder.appendingPathComponent("o.html").path
    let cases: [(String, String)] = [
      (folder.appendingPathComponent("missing").path, "no such file or folder"),
      (empty, "not a trace folder: it has no summary.json"),
      (text, "neither a trace summary (JSON) nor a results database (SQLite)"),
      (fake, "cannot read the results file"),
    ]
    for (input, message) in cases {
      let result = try EdgeSimProcess.run(["report", input, "--html", out])
      #expect(result.status == 1, "\(input)")
      #expect(
        result.standardError.contains("\(input): error: \(message)"),
        "\(result.standardError)")
      #expect(!FileManager.default.fileExists(atPath: out))
    }
  }

  @Test func unwritableOutputIsAnErrorAndUsageIsChecked() throws {
    let trace = "Traces/mobilenet_v2-npu-32x32"
    let result = try EdgeSimProcess.run([
      "report", trace, "--html", "/proc/edgesim-report.html",
    ])
    #expect(result.status == 1)
    #expect(
      result.standardError.contains(
        "/proc/edgesim-report.html: error: cannot write the file"),
      "\(result.standardError)")
    let none = try EdgeSimProcess.run(["report", trace])
    #expect(none.status == 2)
    #expect(none.standardError.contains("Name an output"))
  }
}
