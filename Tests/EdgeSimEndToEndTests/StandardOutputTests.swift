import Foundation
import TestSupport
import Testing

/// Issue #18 item 2: `-` names standard output; a device path such as
/// `/dev/stdout` is never replaced by an atomic rename.
@Suite struct StandardOutputTests {
  static func trace(in folder: URL) throws -> String {
    let trace = folder.appendingPathComponent("trace").path
    let run = try EdgeSimProcess.run([
      "simulate", "--hardware", "pynq-z1", "--model", "lenet5", "--trace",
      trace,
    ])
    #expect(run.status == 0, "\(run.standardError)")
    return trace
  }

  @Test func reportWritesCSVToStandardOutput() throws {
    let folder = try RunSupport.temporaryFolder("stdout-report")
    defer { try? FileManager.default.removeItem(at: folder) }
    let trace = try Self.trace(in: folder)
    let run = try EdgeSimProcess.run(["report", trace, "--csv", "-"])
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput.hasPrefix("name,op,"))
    #expect(run.standardError.contains("wrote standard output"))
    #expect(!FileManager.default.fileExists(atPath: "-"))
  }

  /// With standard output a pipe, /dev/stdout is a link to it: refused
  /// with a hint to use `-`, and the link is left as it is.
  @Test func deviceOutputIsRefusedNotReplaced() throws {
    let folder = try RunSupport.temporaryFolder("stdout-device")
    defer { try? FileManager.default.removeItem(at: folder) }
    let trace = try Self.trace(in: folder)
    let run = try EdgeSimProcess.run(["report", trace, "--csv", "/dev/stdout"])
    #expect(run.status == 1)
    #expect(run.standardError.contains("not a regular file"))
    #expect(run.standardError.contains("or - for standard output"))
    let link = try FileManager.default.destinationOfSymbolicLink(
      atPath: "/dev/stdout")
    #expect(link == "/proc/self/fd/1")
  }

  /// `run --output -` writes the .npy on standard output and its table on
  /// standard error.
  @Test func runWritesTheArrayToStandardOutput() throws {
    let run = try EdgeSimProcess.run([
      "run", "--model", RunSupport.plain, "--input",
      "Tests/Fixtures/onnxruntime/digits-plain/input.npy", "--output", "-",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput.contains("NUMPY"))
    #expect(run.standardError.contains("samples"))
  }

  /// A results file cannot be a stream.
  @Test func sweepDatabaseCannotBeStandardOutput() throws {
    let run = try EdgeSimProcess.run([
      "sweep", "Workloads/sweeps/example.yaml", "--db", "-",
    ])
    #expect(run.status == 1)
    #expect(run.standardError.contains("--db cannot be standard output"))
  }
}
