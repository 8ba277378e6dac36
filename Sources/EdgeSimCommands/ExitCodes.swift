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

  /// Parses the arguments, runs the command and exits.
  public static func main(_ arguments: [String]? = nil) -> Never {
    MemoryPolicy.apply()
    let code = run(arguments)
    exit(code)
  }

  /// Runs a command line and returns the exit status (used by `main` and by
  /// tests).
  public static func run(_ arguments: [String]?) -> Int32 {
    do {
      var command = try EdgeSim.parseAsRoot(arguments)
      try command.run()
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
}
