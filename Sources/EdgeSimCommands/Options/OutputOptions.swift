import ArgumentParser

/// `--json`: a command's results as JSON on standard output instead of a
/// table (every command that prints results takes it).
struct OutputOptions: ParsableArguments {
  @Flag(help: "Print the results as JSON on standard output.")
  var json = false
}
