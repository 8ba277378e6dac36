import ArgumentParser

/// The root `edgesim` command.
public struct EdgeSim: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "edgesim",
    abstract: "Predict how a neural network runs on an edge device.",
    version: "0.1.0",
    subcommands: [])
  public init() {}
}

/// Entry point used by the executable.
public enum EdgeSimMain {
  public static func main() { EdgeSim.main() }
}
