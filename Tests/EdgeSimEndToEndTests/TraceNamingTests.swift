import Foundation
import TestSupport
import Testing

/// Issue #18 item 1: default trace folders are named by the model's file
/// and by what differs from a default run, and replacing another run's
/// trace is said.
@Suite struct TraceNamingTests {
  static let plain = EdgeSimProcess.root.appendingPathComponent(
    "Workloads/digits/digits-plain.onnx"
  ).path
  static let dwsep = EdgeSimProcess.root.appendingPathComponent(
    "Workloads/digits/digits-dwsep.onnx"
  ).path

  /// Both digits models are PyTorch exports whose graph is `main_graph`:
  /// they get a folder each, named by file, and the summary's model is the
  /// file's stem (what `report` titles the page with).
  @Test func exportsOfOneGraphNameGetAFolderEach() throws {
    let folder = try RunSupport.temporaryFolder("trace-naming")
    defer { try? FileManager.default.removeItem(at: folder) }
    for model in [Self.plain, Self.dwsep] {
      let run = try EdgeSimProcess.run(
        ["simulate", "--hardware", "pynq-z1", "--model", model], in: folder)
      #expect(run.status == 0, "\(run.standardError)")
      #expect(!run.standardError.contains("note:"))
    }
    let traces = try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("Traces").path
    ).sorted()
    #expect(traces == ["digits-dwsep-pynq-z1", "digits-plain-pynq-z1"])
    let summary = try #require(
      JSONSerialization.jsonObject(
        with: Data(
          contentsOf: folder.appendingPathComponent(
            "Traces/digits-dwsep-pynq-z1/summary.json"))) as? [String: Any])
    #expect(summary["model"] as? String == "digits-dwsep")
  }

  /// Precision, batch and cold runs get folders of their own.
  @Test func variantsAreNamed() throws {
    let folder = try RunSupport.temporaryFolder("trace-variants")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = try EdgeSimProcess.run(
      [
        "simulate", "--hardware", "pynq-z1", "--model", Self.plain,
        "--precision", "int8", "--batch", "4", "--cold",
      ], in: folder)
    #expect(run.status == 0, "\(run.standardError)")
    #expect(
      run.standardError.contains(
        "trace written to Traces/digits-plain-pynq-z1-int8-b4-cold/"))
  }

  /// A trace folder named with --trace that held another run's trace is
  /// replaced, and the replacement is said; the same run again says
  /// nothing.
  @Test func replacingAnotherRunIsSaid() throws {
    let folder = try RunSupport.temporaryFolder("trace-replace")
    defer { try? FileManager.default.removeItem(at: folder) }
    let arguments = ["simulate", "--hardware", "pynq-z1", "--trace", "t"]
    let first = try EdgeSimProcess.run(
      arguments + ["--model", Self.plain], in: folder)
    #expect(first.status == 0, "\(first.standardError)")
    let again = try EdgeSimProcess.run(
      arguments + ["--model", Self.plain], in: folder)
    #expect(!again.standardError.contains("note:"))
    let other = try EdgeSimProcess.run(
      arguments + ["--model", Self.dwsep], in: folder)
    #expect(other.status == 0, "\(other.standardError)")
    #expect(
      other.standardError.contains(
        "note: t/ held the trace of digits-plain on pynq-z1 (native (int16), batch 1); it is replaced"
      ))
  }
}
