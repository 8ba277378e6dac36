import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// Command lines run in this process (``EdgeSimMain/capture(_:)``): the
/// same parsing, loading, evaluation and rendering as the binary, without a
/// process per run.
@Suite struct InProcessCommandTests {
  static let root = EdgeSimProcess.root.path

  /// The bundled default prints what the binary prints, byte for byte.
  @Test func bundledDefaultEqualsTheBinary() async throws {
    let arguments = ["simulate", "--no-trace", "--json"]
    let inProcess = await EdgeSimMain.capture(arguments)
    let binary = try EdgeSimProcess.run(arguments)
    #expect(inProcess.status == 0)
    #expect(binary.status == 0)
    #expect(inProcess.standardOutput == binary.standardOutput)
    #expect(inProcess.standardError == binary.standardError)
    let summary = try #require(
      JSONSerialization.jsonObject(with: Data(inProcess.standardOutput.utf8))
        as? [String: Any])
    #expect(summary["device"] as? String == "npu-32x32")
    #expect(summary["model"] as? String == "mobilenet_v2")
  }

  /// A device file with a wrong figure: status 1, and the diagnostic names
  /// the file and line on standard error, not standard output.
  @Test func badDeviceIsLocated() async throws {
    let folder = try TemporaryFolder()
    let device = folder.path("bad.yaml")
    let text = try String(
      contentsOfFile: "\(Self.root)/Hardware/pynq-z1.yaml", encoding: .utf8)
    try text.replacingOccurrences(of: "clock: 130 MHz", with: "clock: fast")
      .write(toFile: device, atomically: true, encoding: .utf8)
    let run = await EdgeSimMain.capture([
      "simulate", "--hardware", device, "--model", "lenet5", "--no-trace",
    ])
    #expect(run.status == 1)
    #expect(run.standardOutput.isEmpty)
    let line = try #require(
      text.split(separator: "\n", omittingEmptySubsequences: false)
        .firstIndex { $0.hasPrefix("clock:") })
    #expect(run.standardError.contains("\(device):\(line + 1):"))
  }

  /// Options that contradict each other are a usage error (status 2).
  @Test func usageErrorsExitWithTwo() async {
    let run = await EdgeSimMain.capture([
      "simulate", "--no-trace", "--trace", "/tmp/x",
    ])
    #expect(run.status == 2)
    #expect(run.standardError.contains("--trace and --no-trace"))
  }

  /// Command lines run at once keep their outputs and their inputs apart:
  /// each one's output is what it prints alone.
  @Test func concurrentRunsDoNotMix() async throws {
    let lines = [
      ["simulate", "--hardware", "pynq-z1", "--model", "lenet5", "--no-trace"],
      [
        "simulate", "--hardware", "eyeriss-v1", "--model", "alexnet",
        "--no-trace",
      ],
      ["devices", "--json"],
    ]
    var alone: [EdgeSimMain.Captured] = []
    for line in lines { alone.append(await EdgeSimMain.capture(line)) }
    let together = await withTaskGroup(
      of: (Int, EdgeSimMain.Captured).self
    ) { group in
      for (index, line) in lines.enumerated() {
        group.addTask { (index, await EdgeSimMain.capture(line)) }
      }
      var results = [EdgeSimMain.Captured?](repeating: nil, count: lines.count)
      for await (index, run) in group { results[index] = run }
      return results
    }
    for (index, run) in together.enumerated() {
      #expect(run?.status == 0)
      #expect(run?.standardOutput == alone[index].standardOutput)
      #expect(run?.standardError == alone[index].standardError)
    }
  }

  /// The trace's summary.json is the --json output, and the trace folder
  /// is announced on standard error.
  @Test func traceSummaryEqualsJSONOutput() async throws {
    let folder = try TemporaryFolder()
    let trace = folder.path("trace")
    let written = await EdgeSimMain.capture([
      "simulate", "--hardware", "pynq-z1", "--model", "lenet5", "--trace",
      trace,
    ])
    #expect(written.status == 0)
    #expect(written.standardError.contains("trace written to \(trace)/"))
    let json = await EdgeSimMain.capture([
      "simulate", "--hardware", "pynq-z1", "--model", "lenet5", "--no-trace",
      "--json",
    ])
    let summary = try String(
      contentsOfFile: "\(trace)/summary.json", encoding: .utf8)
    #expect(summary == json.standardOutput)
    for name in ["layers.csv", "trace.json"] {
      #expect(FileManager.default.fileExists(atPath: "\(trace)/\(name)"))
    }
  }
}

/// A folder removed when the value is.
final class TemporaryFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "edgesim-inprocess-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: url, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String {
    url.appendingPathComponent(name).path
  }

  deinit { try? FileManager.default.removeItem(at: url) }
}
