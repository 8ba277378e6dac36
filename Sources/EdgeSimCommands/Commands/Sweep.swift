import ArgumentParser

/// `edgesim sweep`: run a sweep (the default) or merge results files.
struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Run a sweep of design points into a SQLite results file, or merge results files.",
    discussion: """
      edgesim sweep SPEC.yaml --db RESULTS.sqlite [--jobs N] [--shard K/N]
      edgesim sweep merge OUT.sqlite IN.sqlite...

      The sweep file is described in Documentation/SweepYAML.md and the \
      results file in Documentation/ResultsDatabase.md.
      """,
    subcommands: [SweepRun.self, SweepMerge.self],
    defaultSubcommand: SweepRun.self)
}
