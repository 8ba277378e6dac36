import Foundation

/// Runs the built `edgesim` binary for the sweep tests, and lets a test
/// kill it.
enum SweepProcess {
  /// The binary, beside the test bundle in the build folder.
  static let binary: URL = {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = exe.deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = folder.appendingPathComponent("edgesim")
      if FileManager.default.isExecutableFile(atPath: candidate.path) {
        return candidate
      }
      folder = folder.deletingLastPathComponent()
    }
    return exe.deletingLastPathComponent().appendingPathComponent("edgesim")
  }()

  /// A started `edgesim` whose standard error goes to a file (and standard
  /// output too, when `captureOutput`).
  static func start(
    _ arguments: [String], in folder: URL, captureOutput: Bool = false
  ) throws
    -> (process: Process, log: URL, output: URL?)
  {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = folder
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let log = folder.appendingPathComponent("stderr-\(UUID().uuidString).txt")
    FileManager.default.createFile(atPath: log.path, contents: nil)
    process.standardError = try FileHandle(forWritingTo: log)
    var output: URL?
    if captureOutput {
      let out = folder.appendingPathComponent("stdout-\(UUID().uuidString).txt")
      FileManager.default.createFile(atPath: out.path, contents: nil)
      process.standardOutput = try FileHandle(forWritingTo: out)
      output = out
    } else {
      process.standardOutput = FileHandle.nullDevice
    }
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return (process, log, output)
  }

  /// A started `edgesim` whose standard error goes to a file.
  static func start(_ arguments: [String], in folder: URL) throws -> (
    Process, URL
  ) {
    let started = try start(arguments, in: folder, captureOutput: false)
    return (started.process, started.log)
  }

  /// Runs `edgesim` to the end; returns its status and standard error.
  static func run(_ arguments: [String], in folder: URL) throws -> (
    Int32, String
  ) {
    let (process, log) = try start(arguments, in: folder)
    process.waitUntilExit()
    return (
      process.terminationStatus,
      (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    )
  }

  /// Runs `edgesim` to the end; returns its status, standard output and
  /// standard error.
  static func runCapturing(_ arguments: [String], in folder: URL) throws -> (
    Int32, String, String
  ) {
    let (process, log, output) = try start(
      arguments, in: folder, captureOutput: true)
    process.waitUntilExit()
    return (
      process.terminationStatus,
      output.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? "",
      (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    )
  }

  /// A fresh temporary folder.
  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("edgesim-sweep-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: url, withIntermediateDirectories: true)
    return url
  }
}
