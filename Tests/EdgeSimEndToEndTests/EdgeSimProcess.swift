import Foundation
import Testing

/// Runs the built `edgesim` binary, as a user would.
struct EdgeSimProcess {
  struct Output {
    var status: Int32
    var standardOutput: String
    var standardError: String
    /// Whether the process was killed for running past its timeout.
    var timedOut = false
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
  ///
  /// With a `timeout` (seconds), a process still running then is killed
  /// and its output says so (``Output/timedOut``), so that a command that
  /// blocks fails its test rather than hanging the suite.
  static func run(
    _ arguments: [String], environment: [String: String] = [:],
    timeout: Double? = nil
  )
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
    let watchdog = timeout.map { Watchdog(process: process, seconds: $0) }
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
      standardError: String(decoding: errData, as: UTF8.self),
      timedOut: watchdog?.finish() ?? false)
  }

  /// Kills a process (SIGKILL, which a blocked open or read cannot
  /// ignore) once its time is up.
  final class Watchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    private var fired = false

    init(process: Process, seconds: Double) {
      let pid = process.processIdentifier
      DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
        [self] in
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        fired = true
        kill(pid, SIGKILL)
      }
    }

    /// Stops watching (the process has exited); whether it was killed.
    func finish() -> Bool {
      lock.lock()
      defer { lock.unlock() }
      done = true
      return fired
    }
  }
}
