import Foundation
import Testing

/// Runs the built `edgesim` binary, as a user would.
struct EdgeSimProcess {
  struct Output {
    var status: Int32
    var standardOutput: String
    var standardError: String
  }

  /// The repository root (for bundled inputs).
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

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

  /// Runs `edgesim` with arguments in the repository root.
  static func run(_ arguments: [String], environment: [String: String] = [:])
    throws -> Output
  {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = root
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes concurrently so a full pipe cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let reader = Thread {
      errData = err.fileHandleForReading.readDataToEndOfFile()
    }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !reader.isFinished { usleep(1000) }
    return Output(
      status: process.terminationStatus,
      standardOutput: String(decoding: outData, as: UTF8.self),
      standardError: String(decoding: errData, as: UTF8.self))
  }
}
