import ArgumentParser
import Diagnostics
import ResultsStore

/// `edgesim sweep merge OUT.sqlite IN.sqlite...`: joins the results of
/// shards (or of separate runs of one sweep) into one file.
struct SweepMerge: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Merge sweep results files into one.",
    discussion: """
      Copies every point of each input into OUT (created if absent), each \
      input in one transaction. A point present in several inputs must have \
      the same results in each; a conflict leaves OUT without that input and \
      fails.

      Example:
        edgesim sweep Workloads/sweeps/example.yaml --db part-1.sqlite --shard 1/8
        edgesim sweep Workloads/sweeps/example.yaml --db part-2.sqlite --shard 2/8
        edgesim sweep merge all.sqlite part-1.sqlite part-2.sqlite
      """)

  @Argument(help: "The merged results file.")
  var output: String

  @Argument(help: "The results files to merge.")
  var inputs: [String]

  func validate() throws {
    if inputs.isEmpty {
      throw ValidationError("Name at least one results file to merge.")
    }
    if inputs.contains(output) {
      throw ValidationError("The output may not also be an input.")
    }
  }

  func run() throws {
    var printer = DiagnosticPrinter()
    do throws(CommandFailure) {
      // SQLite would wait on a named pipe; the output may be no input.
      for input in inputs {
        if let refusal = FileIO.checkRegularInput(input) {
          throw CommandFailure(refusal)
        }
      }
      try OutputPath.check([(output, "the merged file", .database)])
    } catch {
      throw error.print(with: &printer)
    }
    var store: ResultsStore?
    do throws(ResultsStoreError) {
      // Every input is checked before the output is made or written.
      for input in inputs { _ = try ResultsStore(path: input, readOnly: true) }
      let merged = try ResultsStore(path: output)
      store = merged
      for input in inputs {
        let added = try merged.merge(from: input)
        Terminal.standardError("\(input): \(added) new points")
      }
      let counts = try merged.statusCounts()
      let total = counts.values.reduce(0, +)
      Terminal.standardError(
        "\(output): \(total) points (\(counts["done"] ?? 0) done, \(counts["infeasible"] ?? 0) infeasible, \(counts["failed"] ?? 0) failed)"
      )
      try merged.close()
    } catch {
      // An output this run made and left without a point is removed.
      store?.removeIfUnused()
      printer.print([
        .error(
          error.problem, at: SourceLocation(file: error.path), hint: error.hint)
      ])
      throw ExitCode(EdgeSimMain.failure)
    }
  }
}
