import Foundation

/// Runs the built `edgesim` binary, as a user would: the one process runner
/// of the end-to-end test targets.
package enum EdgeSimProcess {
  /// What a finished run printed.
  package struct Output: Sendable {
    /// The exit status.
    package var status: Int32
    /// Standard output.
    package var standardOutput: String
    /// Standard error.
    package var standardError: String
    /// Whether the process was killed for running past its timeout.
    package var timedOut = false

    /// The status and standard error, for `let (status, log) = …`.
    package var statusAndError: (Int32, String) { (status, standardError) }

    /// The status, standard output and standard error.
    package var statusOutputAndError: (Int32, String, String) {
      (status, standardOutput, standardError)
    }
  }

  /// A started `edgesim` whose standard error goes to `log` (and standard
  /// output to `output`, when captured), for tests that kill it mid-run.
  package struct Started {
    /// The running process.
    package var process: Process
    /// The file receiving standard error.
    package var log: URL
    /// The file receiving standard output, when captured.
    package var output: URL?

    /// The process and its standard error file, for `let (process, log) = …`.
    package var processAndLog: (Process, URL) { (process, log) }
  }

  /// The repository root (for bundled inputs).
  package static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The binary, beside the test bundle in the build folder.
  package static let binary: URL = {
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

  /// The environment of every run: the test's own, without colour.
  static func environment(_ extra: [String: String]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    for (key, value) in extra { environment[key] = value }
    return environment
  }

  /// Runs `edgesim` with arguments in `folder` (the repository root unless
  /// given) and waits for it.
  ///
  /// With a `timeout` (seconds), a process still running then is killed
  /// and its output says so (``Output/timedOut``), so that a command that
  /// blocks fails its test rather than hanging the suite.
  package static func run(
    _ arguments: [String], environment: [String: String] = [:],
    in folder: URL? = nil, timeout: Double? = nil
  )
    throws -> Output
  {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = folder ?? root
    process.environment = Self.environment(environment)
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

  /// Starts `edgesim` in `folder` without waiting: standard error goes to a
  /// new file there, and standard output too when `captureOutput`.
  package static func start(
    _ arguments: [String], in folder: URL, captureOutput: Bool = false
  ) throws -> Started {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = folder
    process.environment = environment([:])
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
    return Started(process: process, log: log, output: output)
  }

  /// A new empty temporary folder, removed by the caller.
  package static func temporaryFolder(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("edgesim-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: url, withIntermediateDirectories: true)
    return url
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
