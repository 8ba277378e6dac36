import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process entry point with EdgeSim's exit codes: 0 success, 1 failure
/// or invalid input, 2 usage error (argument-parser's own is 64).
public enum EdgeSimMain {
  /// Exit status for a failure or invalid input.
  public static let failure: Int32 = 1
  /// Exit status for a usage error.
  public static let usage: Int32 = 2

  /// Sets up the process (``MemoryPolicy``) before any other thread
  /// allocates: to be called first, from the entry point's synchronous
  /// code, since `main` itself runs on a worker thread of the concurrency
  /// runtime, after that runtime's threads have taken allocator arenas of
  /// their own.
  public static func prepareProcess() {
    MemoryPolicy.apply()
  }

  /// Parses the arguments, runs the command and exits.
  public static func main(_ arguments: [String]? = nil) async -> Never {
    MemoryPolicy.apply()
    if let problem = KernelSelection.apply() {
      Terminal.standardError("error: \(problem)")
      exit(failure)
    }
    let code = await run(arguments)
    exit(code)
  }

  /// Runs a command line and returns the exit status; what it prints goes
  /// to the running task's ``CommandContext`` (the process's standard output
  /// and error, unless captured).
  public static func run(_ arguments: [String]?) async -> Int32 {
    do {
      var command = try EdgeSim.parseAsRoot(arguments)
      if var command = command as? any AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
      return 0
    } catch {
      let code = EdgeSim.exitCode(for: error)
      if code == .success {
        // --help and --version.
        Terminal.standardOutput(EdgeSim.fullMessage(for: error))
        return 0
      }
      if code == .validationFailure {
        Terminal.standardError(EdgeSim.fullMessage(for: error))
        return usage
      }
      if error is ExitCode { return code.rawValue }
      Terminal.standardError("error: \(EdgeSim.message(for: error))")
      return failure
    }
  }

  /// What a command line run in-process did: its exit status and what it
  /// printed.
  public struct Captured: Sendable {
    /// The exit status ``main(_:)`` would exit with.
    public var status: Int32
    /// Standard output, as the process would have written it.
    public var standardOutput: String
    /// Standard error, as the process would have written it.
    public var standardError: String
  }

  /// Runs a command line in this process, in a context of its own, and
  /// returns what it printed instead of printing it (for tests: several
  /// command lines may run at once).
  public static func capture(_ arguments: [String]) async -> Captured {
    let context = CommandContext(capturing: true)
    let status = await CommandContext.$current.withValue(context) {
      await run(arguments)
    }
    let (output, error) = context.output
    return Captured(
      status: status, standardOutput: output, standardError: error)
  }
}
