import Foundation
import NumPyFormat
import ONNXImport
import SwiftProtobuf
import Testing

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// Hostile files around the inputs and outputs (issue #20, classes 4, 5,
/// 7 and 10): nothing is read from outside a model's folder, nothing blocks
/// on a named pipe, no output replaces an input, a trace folder is
/// replaced whole, and an empty ONNX graph is refused.
@Suite struct FileSafetyTests {
  /// Seconds any one command may take here: a regression to a blocking
  /// read is killed then, and fails.
  static let timeout = 60.0

  static func run(_ arguments: [String]) throws -> EdgeSimProcess.Output {
    try EdgeSimProcess.run(arguments, timeout: timeout)
  }

  static func folder(_ label: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("edgesim-safety-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true)
    // Canonical, so that messages name the paths as given.
    return folder.resolvingSymlinksInPath()
  }

  static func fifo(_ url: URL) throws -> String {
    #expect(mkfifo(url.path, 0o644) == 0)
    return url.path
  }

  /// A one-node model, `y = x · w` with `x` [1, 4] and `w` [4, 3] stored
  /// externally at `location`; returns its bytes.
  static func matMulModel(location: String) throws -> [UInt8] {
    var node = Onnx_NodeProto()
    node.name = "mm"
    node.opType = "MatMul"
    node.input = ["x", "w"]
    node.output = ["y"]
    let value = ONNXValues.float32
    var weight = Onnx_TensorProto()
    weight.name = "w"
    weight.dims = [4, 3]
    weight.dataType = 1
    weight.dataLocation = .external
    var entry = Onnx_StringStringEntryProto()
    entry.key = "location"
    entry.value = location
    weight.externalData = [entry]
    var graph = Onnx_GraphProto()
    graph.name = "mm"
    graph.node = [node]
    graph.input = [value("x", [1, 4])]
    graph.output = [value("y", [1, 3])]
    graph.initializer = [weight]
    var opset = Onnx_OperatorSetIdProto()
    opset.version = 13
    var model = Onnx_ModelProto()
    model.irVersion = 8
    model.opsetImport = [opset]
    model.graph = graph
    return try model.serializedBytes()
  }

  /// The 48 bytes of a [4, 3] float32 tensor.
  static let weightBytes = Data(repeating: 0, count: 48)

  // MARK: Class 4: escapes and blocking reads

  @Test func externalDataThroughALinkOutOfTheModelFolderIsRefused() throws {
    let root = try Self.folder("escape")
    defer { try? FileManager.default.removeItem(at: root) }
    let models = root.appendingPathComponent("models")
    let secrets = root.appendingPathComponent("secrets")
    for folder in [models, secrets] {
      try FileManager.default.createDirectory(
        at: folder, withIntermediateDirectories: true)
    }
    try Self.weightBytes.write(to: secrets.appendingPathComponent("w.bin"))
    // `etc` beside the model leads out of its folder.
    try FileManager.default.createSymbolicLink(
      atPath: models.appendingPathComponent("etc").path,
      withDestinationPath: secrets.path)
    let escaping = models.appendingPathComponent("escaping.onnx")
    try Data(try Self.matMulModel(location: "etc/w.bin")).write(to: escaping)
    let refused = try Self.run(["inspect", escaping.path])
    #expect(!refused.timedOut)
    #expect(refused.status == 1, "\(refused.standardError)")
    #expect(
      refused.standardError.contains("outside the model's folder"),
      "\(refused.standardError)")
    #expect(refused.standardError.contains("tensor 'w'"))
    #expect(refused.standardError.contains(escaping.path))

    // A link that stays inside the folder, and a plain file, are read.
    try Self.weightBytes.write(to: models.appendingPathComponent("w.bin"))
    try FileManager.default.createSymbolicLink(
      atPath: models.appendingPathComponent("alias.bin").path,
      withDestinationPath: "w.bin")
    for location in ["w.bin", "alias.bin"] {
      let model = models.appendingPathComponent("m-\(location).onnx")
      try Data(try Self.matMulModel(location: location)).write(to: model)
      let read = try Self.run(["inspect", model.path])
      #expect(read.status == 0, "\(location): \(read.standardError)")
      #expect(!read.standardError.contains("warning"), "\(read.standardError)")
    }
  }

  /// Commands given a named pipe where they read a file; `{fifo}` is the
  /// pipe's path, `{folder}` the test folder.
  static let pipeCases: [[String]] = [
    ["simulate", "--model", "{fifo}.onnx", "--no-trace"],
    ["simulate", "--model", "{fifo}.yaml", "--no-trace"],
    [
      "simulate", "--hardware", "{fifo}.yaml", "--model", "lenet5",
      "--no-trace",
    ],
    [
      "simulate", "--model", "lenet5", "--precision", "{fifo}.yaml",
      "--no-trace",
    ],
    ["validate", "{fifo}.yaml"],
    ["inspect", "{fifo}.onnx"],
    ["run", "--model", RunSupport.plain, "--input", "{fifo}.npy"],
    ["sweep", "{fifo}.yaml", "--db", "{folder}/r.sqlite"],
    ["sweep", "{folder}/one.yaml", "--db", "{fifo}.sqlite"],
    ["report", "{fifo}.sqlite", "--html", "{folder}/r.html"],
    [
      "compare", "--db", "{fifo}.sqlite", "--sweep", "{folder}/one.yaml",
      "0123456789abcdef", "fedcba9876543210",
    ],
    ["compare", "{fifo}.json", "{fifo}.json"],
    ["sweep", "merge", "{folder}/all.sqlite", "{fifo}.sqlite"],
  ]

  @Test(arguments: pipeCases)
  func aNamedPipeIsRefusedNotWaitedOn(_ template: [String]) throws {
    let folder = try Self.folder("fifo")
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(Self.oneSweep.utf8).write(
      to: folder.appendingPathComponent("one.yaml"))
    let suffix =
      template.first { $0.hasPrefix("{fifo}") }?.dropFirst("{fifo}".count)
      ?? ""
    let pipe = try Self.fifo(folder.appendingPathComponent("pipe\(suffix)"))
    let arguments = template.map {
      $0.replacingOccurrences(of: "{fifo}" + suffix, with: pipe)
        .replacingOccurrences(of: "{folder}", with: folder.path)
    }
    let result = try Self.run(arguments)
    #expect(!result.timedOut, "\(arguments) blocked")
    #expect(result.status == 1, "\(arguments): \(result.standardError)")
    #expect(
      result.standardError.contains("named pipe (FIFO)"),
      "\(arguments): \(result.standardError)")
    #expect(result.standardError.contains(pipe), "\(result.standardError)")
  }

  @Test func externalDataInANamedPipeIsRefused() throws {
    let folder = try Self.folder("fifo-data")
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try Self.fifo(folder.appendingPathComponent("w.bin"))
    let model = folder.appendingPathComponent("m.onnx")
    try Data(try Self.matMulModel(location: "w.bin")).write(to: model)
    let result = try Self.run(["inspect", model.path])
    #expect(!result.timedOut)
    #expect(result.status == 1, "\(result.standardError)")
    #expect(result.standardError.contains("tensor 'w'"))
    #expect(result.standardError.contains("named pipe (FIFO)"))
  }

  @Test func aDeviceIsRefusedAsAModel() throws {
    let result = try Self.run([
      "simulate", "--model", "/dev/zero", "--no-trace",
    ])
    #expect(!result.timedOut)
    #expect(result.status == 1)
    #expect(
      result.standardError.contains("character device"),
      "\(result.standardError)")
  }

  // MARK: Class 5: outputs that would destroy inputs

  /// A one-point sweep, quick to run.
  static let oneSweep =
    "name: one\nmodels: lenet5\ndevices: systolic-32x32\nhardware:\n  array_size: 8\n"

  @Test func reportDoesNotWriteOverItsResultsFile() throws {
    let folder = try Self.folder("report-db")
    defer { try? FileManager.default.removeItem(at: folder) }
    let spec = folder.appendingPathComponent("one.yaml")
    try Data(Self.oneSweep.utf8).write(to: spec)
    let db = folder.appendingPathComponent("r.sqlite")
    let sweep = try Self.run(["sweep", spec.path, "--db", db.path])
    #expect(sweep.status == 0, "\(sweep.standardError)")
    let before = try Data(contentsOf: db)
    try FileManager.default.createSymbolicLink(
      atPath: folder.appendingPathComponent("alias.html").path,
      withDestinationPath: db.path)
    for arguments in [
      ["report", db.path, "--html", db.path],
      ["report", db.path, "--csv", folder.path + "/./r.sqlite"],
      ["report", db.path, "--html", folder.path + "/alias.html"],
    ] {
      let result = try Self.run(arguments)
      #expect(result.status == 1, "\(arguments): \(result.standardError)")
      #expect(
        result.standardError.contains("names a file this command reads"),
        "\(result.standardError)")
    }
    #expect(try Data(contentsOf: db) == before)
    // The sweep's results file is not its spec either.
    let overSpec = try Self.run(["sweep", spec.path, "--db", spec.path])
    #expect(overSpec.status == 1)
    #expect(try String(contentsOf: spec, encoding: .utf8) == Self.oneSweep)
  }

  @Test func reportDoesNotWriteOverItsTrace() throws {
    let folder = try Self.folder("report-trace")
    defer { try? FileManager.default.removeItem(at: folder) }
    let trace = folder.appendingPathComponent("t")
    let simulate = try Self.run([
      "simulate", "--model", "lenet5", "--trace", trace.path,
    ])
    #expect(simulate.status == 0, "\(simulate.standardError)")
    let summary = trace.appendingPathComponent("summary.json")
    let before = try Data(contentsOf: summary)
    let result = try Self.run(["report", trace.path, "--html", summary.path])
    #expect(result.status == 1, "\(result.standardError)")
    #expect(result.standardError.contains("\(summary.path): error:"))
    #expect(try Data(contentsOf: summary) == before)
  }

  @Test func quantizeDoesNotWriteOverItsModelOrData() throws {
    let folder = try Self.folder("quantize")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = folder.appendingPathComponent("m.onnx")
    let data = folder.appendingPathComponent("x.npy")
    try FileManager.default.copyItem(
      at: EdgeSimProcess.root.appendingPathComponent(RunSupport.plain),
      to: model)
    try FileManager.default.copyItem(
      at: EdgeSimProcess.root.appendingPathComponent(RunSupport.images),
      to: data)
    let modelBytes = try Data(contentsOf: model)
    let dataBytes = try Data(contentsOf: data)
    for out in [model.path, folder.path + "/sub/../x.npy"] {
      try FileManager.default.createDirectory(
        at: folder.appendingPathComponent("sub"),
        withIntermediateDirectories: true)
      let result = try Self.run([
        "quantize", "--model", model.path, "--data", data.path, "--bits", "8",
        "--out", out,
      ])
      #expect(result.status == 1, "\(out): \(result.standardError)")
      #expect(
        result.standardError.contains("names a file this command reads"),
        "\(result.standardError)")
    }
    #expect(try Data(contentsOf: model) == modelBytes)
    #expect(try Data(contentsOf: data) == dataBytes)
  }

  @Test func runDoesNotWriteOverItsInput() throws {
    let folder = try Self.folder("run")
    defer { try? FileManager.default.removeItem(at: folder) }
    let input = folder.appendingPathComponent("x.npy")
    try RunSupport.writeFloats(
      Array(repeating: 0.5, count: 2 * 64), shape: [2, 1, 8, 8], to: input)
    let before = try Data(contentsOf: input)
    let result = try Self.run([
      "run", "--model", RunSupport.plain, "--input", input.path, "--output",
      input.path,
    ])
    #expect(result.status == 1, "\(result.standardError)")
    #expect(
      result.standardError.contains("--output names a file this command reads"),
      "\(result.standardError)")
    #expect(try Data(contentsOf: input) == before)
  }

  @Test func simulateRefusesAnEmptyTraceOrOneHoldingAnInput() throws {
    // Before, an empty --trace wrote its three files into /.
    func written() -> Date? {
      try? FileManager.default.attributesOfItem(atPath: "/layers.csv")[
        .modificationDate] as? Date
    }
    let before = written()
    let empty = try Self.run(["simulate", "--model", "lenet5", "--trace", ""])
    #expect(empty.status == 1, "\(empty.standardError)")
    #expect(
      empty.standardError.contains("--trace names an empty path"),
      "\(empty.standardError)")
    #expect(written() == before)

    let folder = try Self.folder("simulate")
    defer { try? FileManager.default.removeItem(at: folder) }
    let model = folder.appendingPathComponent("tiny.yaml")
    let text = """
      name: tiny
      input: {name: input, shape: [1, 4, 8, 8]}
      layers:
        - {name: conv1, op: conv, filters: 4, kernel: 3, padding: 1}
      """
    try Data(text.utf8).write(to: model)
    for trace in [folder.path, model.path] {
      let result = try Self.run([
        "simulate", "--model", model.path, "--trace", trace,
      ])
      #expect(result.status == 1, "\(trace): \(result.standardError)")
      #expect(result.standardError.contains("this command reads"))
    }
    #expect(try String(contentsOf: model, encoding: .utf8) == text)
  }

  @Test func anOutputThatIsANamedPipeIsRefused() throws {
    let folder = try Self.folder("fifo-out")
    defer { try? FileManager.default.removeItem(at: folder) }
    let trace = folder.appendingPathComponent("t")
    let simulate = try Self.run([
      "simulate", "--model", "lenet5", "--trace", trace.path,
    ])
    #expect(simulate.status == 0, "\(simulate.standardError)")
    let pipe = try Self.fifo(folder.appendingPathComponent("out.html"))
    let result = try Self.run(["report", trace.path, "--html", pipe])
    #expect(!result.timedOut)
    #expect(result.status == 1, "\(result.standardError)")
    #expect(result.standardError.contains("named pipe (FIFO)"))
    var info = stat()
    #expect(lstat(pipe, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
  }

  // MARK: Class 7: trace folders replaced whole

  static let traceFiles = ["summary.json", "layers.csv", "trace.json"]

  @Test func aTraceFolderIsReplacedWholeAndLeftoversCleared() throws {
    let folder = try Self.folder("trace")
    defer { try? FileManager.default.removeItem(at: folder) }
    let trace = folder.appendingPathComponent("t")
    try FileManager.default.createDirectory(
      at: trace, withIntermediateDirectories: true)
    for file in Self.traceFiles {
      try Data("old".utf8).write(to: trace.appendingPathComponent(file))
    }
    // What a killed run (a process that no longer exists) left behind.
    let stale = folder.appendingPathComponent(".t.tmp-2147483646-dead")
    try FileManager.default.createDirectory(
      at: stale, withIntermediateDirectories: true)
    let result = try Self.run([
      "simulate", "--model", "lenet5", "--trace", trace.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    for file in Self.traceFiles {
      let text = try String(
        contentsOf: trace.appendingPathComponent(file), encoding: .utf8)
      #expect(text != "old", "\(file)")
    }
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["t"])
    #expect(
      Set(try FileManager.default.contentsOfDirectory(atPath: trace.path))
        == Set(Self.traceFiles))
  }

  @Test func aFolderHoldingOtherFilesIsNotReplacedByATrace() throws {
    let folder = try Self.folder("trace-other")
    defer { try? FileManager.default.removeItem(at: folder) }
    let notes = folder.appendingPathComponent("notes.txt")
    try Data("keep".utf8).write(to: notes)
    let result = try Self.run([
      "simulate", "--model", "lenet5", "--trace", folder.path,
    ])
    #expect(result.status == 1, "\(result.standardError)")
    #expect(
      result.standardError.contains("not a trace"), "\(result.standardError)")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path) == [
        "notes.txt"
      ])
  }

  /// README's main command on a fresh clone: the bundled trace folder holds
  /// a report beside the trace; the new trace replaces the old one whole
  /// and the report is kept as it was.
  @Test func aTraceFolderWithItsReportIsReplacedAndTheReportKept() throws {
    let folder = try Self.folder("trace-report")
    defer { try? FileManager.default.removeItem(at: folder) }
    let trace = folder.appendingPathComponent("t")
    let first = try Self.run([
      "simulate", "--model", "lenet5", "--trace", trace.path,
    ])
    #expect(first.status == 0, "\(first.standardError)")
    let report = trace.appendingPathComponent("report.html")
    try Data("<html>kept</html>".utf8).write(to: report)
    try Data("old".utf8).write(to: trace.appendingPathComponent("trace.json"))
    let second = try Self.run([
      "simulate", "--model", "lenet5", "--trace", trace.path,
    ])
    #expect(second.status == 0, "\(second.standardError)")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: trace.path).sorted()
        == ["layers.csv", "report.html", "summary.json", "trace.json"])
    #expect(try Data(contentsOf: report) == Data("<html>kept</html>".utf8))
    #expect(
      try Data(contentsOf: trace.appendingPathComponent("trace.json"))
        != Data("old".utf8))
  }

  /// Kills `simulate --trace` at moments spread over its run: the folder
  /// always holds the old trace or the new one, whole, and nothing else.
  @Test func aKilledTraceWriteLeavesTheOldTraceOrTheNew() throws {
    let folder = try Self.folder("trace-kill")
    defer { try? FileManager.default.removeItem(at: folder) }
    let trace = folder.appendingPathComponent("t")
    let arguments = [
      "simulate", "--model", "mobilenet_v2", "--trace", trace.path,
    ]
    let start = Date()
    let first = try Self.run(arguments)
    #expect(first.status == 0, "\(first.standardError)")
    let duration = Date().timeIntervalSince(start)
    func marked() throws {
      for file in Self.traceFiles {
        try Data("old".utf8).write(to: trace.appendingPathComponent(file))
      }
    }
    for step in 0..<12 {
      try marked()
      let process = Process()
      process.executableURL = EdgeSimProcess.binary
      process.arguments = arguments
      process.currentDirectoryURL = EdgeSimProcess.root
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      // From half the run to its end, where the files are written.
      usleep(UInt32(duration * (0.5 + Double(step) / 20) * 1_000_000))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let names = Set(
        try FileManager.default.contentsOfDirectory(atPath: trace.path))
      #expect(names == Set(Self.traceFiles), "step \(step): \(names)")
      let old = try Self.traceFiles.map {
        try String(
          contentsOf: trace.appendingPathComponent($0), encoding: .utf8)
          == "old"
      }
      #expect(Set(old).count == 1, "step \(step): mixed trace \(old)")
    }
  }

  // MARK: Class 10: an empty ONNX graph

  @Test func anEmptyONNXGraphIsRefused() throws {
    let folder = try Self.folder("empty-onnx")
    defer { try? FileManager.default.removeItem(at: folder) }
    // ir_version 8, opset_import {version 13}, graph {} : 8 bytes.
    let model = folder.appendingPathComponent("empty.onnx")
    try Data([0x08, 0x08, 0x42, 0x02, 0x10, 0x0D, 0x3A, 0x00]).write(to: model)
    for arguments in [
      ["inspect", model.path],
      ["simulate", "--model", model.path, "--no-trace"],
    ] {
      let result = try Self.run(arguments)
      #expect(result.status == 1, "\(arguments): \(result.standardError)")
      #expect(
        result.standardError.contains("\(model.path): error:"),
        "\(result.standardError)")
      #expect(result.standardError.contains("no nodes"))
    }
  }
}
