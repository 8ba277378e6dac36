import ArgumentParser
import Diagnostics
import SpecFormats

/// `edgesim validate FILE...`: checks descriptions and prints every problem.
struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Check hardware, workload, precision, DRAM-coding, compression-plan and sweep files; print every problem.",
    discussion: """
      Reads each file and prints each problem as FILE:LINE:COLUMN: error: \
      MESSAGE, with the source line, a caret and a hint. Exits 1 if any file \
      has an error. The kind of each file is found from its extension (.cfg: \
      SCALE-Sim device; .csv: SCALE-Sim topology; .onnx: model) or from its \
      top-level keys (kind/clock/memory: hardware; studies/models: sweep; \
      default: precision; weights/activations: DRAM coding; defaults: \
      compression plan; layers/input: workload); --kind overrides it. A \
      precision, coding or compression plan file is checked alone: its layer \
      names are checked when simulate, run or compress reads it with a model.

      Example:
        edgesim validate Hardware/*.yaml
        edgesim validate Workloads/lenet5.yaml p8.yaml
        edgesim validate --kind precision --json p8.yaml
      """)

  @Argument(
    help: "Files to check.",
    completion: .file(extensions: ["yaml", "yml", "cfg"]))
  var files: [String]

  @Option(help: "The kind of every file, instead of detecting it.")
  var kind: SpecFileKind?

  @OptionGroup var format: OutputOptions

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
        let (valid, diagnostics) = Self.check(
          bytes: bytes, fileName: file,
          kind: kind ?? SpecFileKind.detect(bytes: bytes, fileName: file))
        all += diagnostics
        results.append((file, valid, diagnostics))
      }
    }
    if format.json {
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

  /// Reads a file as `kind`: whether it is valid, and every diagnostic.
  static func check(bytes: [UInt8], fileName: String, kind: SpecFileKind)
    -> (Bool, [Diagnostic])
  {
    switch kind {
    case .hardware:
      let result = HardwareLoader.read(bytes: bytes, fileName: fileName)
      return (result.value != nil, result.diagnostics)
    case .workload:
      let (model, diagnostics, _) = ModelLoader.load(
        fileName: fileName, bytes: bytes, batch: nil)
      return (
        model != nil && !diagnostics.containsErrors, diagnostics
      )
    case .precision:
      let result = PrecisionReader.read(bytes: bytes, fileName: fileName)
      return (result.value != nil, result.diagnostics)
    case .compression:
      let result = CompressionReader.read(bytes: bytes, fileName: fileName)
      return (result.value != nil, result.diagnostics)
    case .sweep:
      let result = SweepReader.read(bytes: bytes, fileName: fileName)
      return (result.value != nil, result.diagnostics)
    case .compressionPlan:
      let result = CompressionPlanReader.read(bytes: bytes, fileName: fileName)
      return (result.value != nil, result.diagnostics)
    }
  }
}

extension SpecFileKind: ExpressibleByArgument {}
