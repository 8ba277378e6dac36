import ArgumentParser

/// The root `edgesim` command.
public struct EdgeSim: AsyncParsableCommand {
  /// The command's name, version and subcommands.
  public static let configuration = CommandConfiguration(
    commandName: "edgesim",
    abstract: "Predict how a neural network runs on an edge device.",
    discussion: """
      EdgeSim reads a declarative hardware description (YAML, or a SCALE-Sim \
      .cfg) and a network, and tells how fast it runs, how much energy it \
      takes, where the bottleneck is, and how much accuracy a fixed-point \
      version keeps.

      Exit codes: 0 success, 1 failure or invalid input, 2 usage error.
      """,
    version: EdgeSimVersion.current,
    subcommands: [
      Validate.self, Devices.self, Inspect.self, Run.self, Quantize.self,
      Simulate.self, Sweep.self, Compare.self, Calibrate.self, Compress.self,
      Report.self,
    ])

  /// Creates the command (argument-parser needs this).
  public init() {}
}

/// The version printed by `edgesim --version`.
public enum EdgeSimVersion {
  /// Semantic version of this build.
  public static let current = "0.1.0"
}
