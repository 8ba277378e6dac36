import ArgumentParser
import Diagnostics
import SpecFormats

/// `edgesim validate FILE...`: checks descriptions and prints every problem.
struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check hardware descriptions and print every problem.",
    discussion: """
      Reads each file (EdgeSim hardware YAML, or a SCALE-Sim .cfg) and prints \
      each problem as FILE:LINE:COLUMN: error: MESSAGE, with the source line, \
      a caret and a hint. Exits 1 if any file has an error.

      Example:
        edgesim validate Hardware/*.yaml
        edgesim validate --json my-npu.yaml
      """)

  @Argument(
    help: "Files to check.",
    completion: .file(extensions: ["yaml", "yml", "cfg"]))
  var files: [String]

  @Flag(help: "Print the result as JSON on standard output.")
  var json = false

  func validate() throws {
    if files.isEmpty {
      throw ValidationError("Name at least one file to check.")
    }
  }

  func run() throws {
    var printer = DiagnosticPrinter()
    var all: [Diagnostic] = []
    var results: [(String, Bool, [Diagnostic])] = []
    for file in files {
      switch FileIO.read(file) {
      case .failure(let diagnostic):
        all.append(diagnostic)
        results.append((file, false, [diagnostic]))
      case .success(let bytes):
        printer.sources[file] = String(
          decoding: bytes.prefix(4 << 20), as: UTF8.self)
        let result = HardwareLoader.read(bytes: bytes, fileName: file)
        all += result.diagnostics
        results.append((file, result.value != nil, result.diagnostics))
      }
    }
    if json {
      Terminal.standardOutput(JSONOutput.validation(results))
    } else {
      printer.print(all)
      let failed = results.filter { !$0.1 }.count
      let summary =
        failed == 0
        ? "\(files.count) file\(files.count == 1 ? "" : "s") valid"
        : "\(failed) of \(files.count) file\(files.count == 1 ? "" : "s") invalid"
      Terminal.standardError(summary)
    }
    if all.containsErrors { throw ExitCode(EdgeSimMain.failure) }
  }
}
