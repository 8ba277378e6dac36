import EdgeSimCommands
import Foundation
import NumPyFormat
import TestSupport
import Testing

/// `edgesim run` (in process) on the modern operators of issue #16 against
/// onnxruntime: every case of Tests/Fixtures/onnxruntime/extended-ops
/// (made by Scripts/references/make-extended-op-references.py) runs with
/// `--input NAME=FILE.npy` per graph input and agrees within 1e-4 of the
/// largest reference magnitude; bad `--input` gets a clear error.
@Suite struct ExtendedOperatorRunTests {
  static let fixtures = EdgeSimProcess.root.appendingPathComponent(
    "Tests/Fixtures/onnxruntime/extended-ops")

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var inputs: [String: String]
    var testDescription: String { name }
  }

  static let cases: [Case] = {
    guard
      let data = try? Data(
        contentsOf: fixtures.appendingPathComponent("manifest.json")),
      let object = try? JSONSerialization.jsonObject(with: data)
        as? [String: Any],
      let list = object["cases"] as? [[String: Any]]
    else { return [] }
    return list.compactMap { entry in
      guard let name = entry["name"] as? String,
        let inputs = entry["inputs"] as? [String: String]
      else { return nil }
      return Case(name: name, inputs: inputs)
    }
  }()

  static func array(_ path: String) throws -> NumPyArray {
    try NumPyArray(npy: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
  }

  /// Runs a case; the output and the reference as Float32.
  static func run(_ item: Case, output: String) async throws -> (
    EdgeSimMain.Captured, NumPyArray?, NumPyArray
  ) {
    let folder = fixtures.appendingPathComponent(item.name)
    var arguments = [
      "run", "--model", folder.appendingPathComponent("model.onnx").path,
    ]
    for (name, file) in item.inputs.sorted(by: { $0.key < $1.key }) {
      arguments += [
        "--input", "\(name)=\(folder.appendingPathComponent(file).path)",
      ]
    }
    arguments += ["--output", output]
    let result = await EdgeSimMain.capture(arguments)
    let ours = try? array(output)
    let reference = try array(
      folder.appendingPathComponent("expected.npy").path)
    return (result, ours, reference)
  }

  @Test func everyOperatorIsCovered() {
    #expect(Self.cases.count >= 100)
    let names = Set(Self.cases.map(\.name))
    for required in ["encoder-block", "lstm-bidirectional", "gru-forward-lbr1"]
    {
      #expect(names.contains(required))
    }
  }

  @Test(arguments: cases)
  func agreesWithOnnxruntime(_ item: Case) async throws {
    let folder = try TemporaryFolder()
    let (result, ours, reference) = try await Self.run(
      item, output: folder.path("y.npy"))
    #expect(result.status == 0, "\(item.name): \(result.standardError)")
    let output = try #require(ours)
    #expect(output.shape == reference.shape, "\(item.name)")
    let expected = reference.float32Values
    let actual = output.float32Values
    let scale = max(expected.map { abs($0) }.max() ?? 0, 1e-30)
    var worst: Float = 0
    for (a, b) in zip(actual, expected) {
      if a.isNaN != b.isNaN { worst = .infinity }
      if !a.isNaN { worst = max(worst, abs(a - b)) }
    }
    #expect(
      actual.count == expected.count && worst <= 1e-4 * scale,
      "\(item.name): max |diff| \(worst), max |ref| \(scale)")
  }
}

/// Bad `run --input`: each error names the input and the file, and nothing
/// traps.
@Suite struct RunInputErrorTests {
  static let encoder = ExtendedOperatorRunTests.fixtures
    .appendingPathComponent("encoder-block")

  static func file(_ name: String) -> String {
    encoder.appendingPathComponent(name).path
  }

  static func run(_ inputs: [String]) async -> EdgeSimMain.Captured {
    await EdgeSimMain.capture(
      ["run", "--model", file("model.onnx")]
        + inputs.flatMap { ["--input", $0] })
  }

  static func write(
    _ array: NumPyArray, in folder: TemporaryFolder, _ name: String
  )
    throws -> String
  {
    let path = folder.path(name)
    try Data(array.npyData()).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func unknownNameListsTheInputs() async {
    let result = await Self.run([
      "input_ids=\(Self.file("input_ids.npy"))",
      "tokens=\(Self.file("attention_mask.npy"))",
    ])
    #expect(result.status == 1)
    #expect(
      result.standardError.contains("no input named 'tokens'")
        && result.standardError.contains("'input_ids', 'attention_mask'"),
      "\(result.standardError)")
  }

  @Test func missingAndRepeatedInputsAreNamed() async {
    let missing = await Self.run(["input_ids=\(Self.file("input_ids.npy"))"])
    #expect(missing.status == 1)
    #expect(
      missing.standardError.contains(
        "no --input for the model's input(s) 'attention_mask'"),
      "\(missing.standardError)")
    let twice = await Self.run([
      "input_ids=\(Self.file("input_ids.npy"))",
      "input_ids=\(Self.file("input_ids.npy"))",
    ])
    #expect(twice.standardError.contains("names the input 'input_ids' twice"))
    let unnamed = await Self.run([Self.file("input_ids.npy")])
    #expect(unnamed.status == 1)
    #expect(
      unnamed.standardError.contains("does not say which input it feeds"),
      "\(unnamed.standardError)")
  }

  @Test func wrongTypeAndShapeNameTheInputAndFile() async throws {
    let folder = try TemporaryFolder()
    let floats = try Self.write(
      NumPyArray(float32: [Float](repeating: 1, count: 18), shape: [3, 6]),
      in: folder, "float-ids.npy")
    let wrongType = await Self.run([
      "input_ids=\(floats)",
      "attention_mask=\(Self.file("attention_mask.npy"))",
    ])
    #expect(wrongType.status == 1)
    #expect(
      wrongType.standardError.contains("float-ids.npy")
        && wrongType.standardError.contains(
          "holds float32 values; the model's input 'input_ids' takes int64"),
      "\(wrongType.standardError)")
    let short = try Self.write(
      NumPyArray(int64: [Int64](repeating: 1, count: 15), shape: [3, 5]),
      in: folder, "short.npy")
    let wrongShape = await Self.run([
      "input_ids=\(Self.file("input_ids.npy"))", "attention_mask=\(short)",
    ])
    #expect(wrongShape.status == 1)
    #expect(
      wrongShape.standardError.contains("short.npy")
        && wrongShape.standardError.contains(
          "--input for 'attention_mask' has shape [3, 5]"),
      "\(wrongShape.standardError)")
    let integers = try Self.write(
      NumPyArray(int64: [Int64](repeating: 1, count: 6), shape: [1, 6]),
      in: folder, "int.npy")
    let floatInput = await EdgeSimMain.capture([
      "run", "--model",
      ExtendedOperatorRunTests.fixtures.appendingPathComponent(
        "layernorm-last/model.onnx"
      ).path, "--input", "x=\(integers)",
    ])
    #expect(floatInput.status == 1)
    #expect(
      floatInput.standardError.contains(
        "holds int64 values; the model's input 'x' takes float32"),
      "\(floatInput.standardError)")
  }

  /// Token ids beyond 2^24 are refused (Float32 would round them); an id
  /// outside the vocabulary is a located error, not a trap.
  @Test func integersBeyondFloat32AndBadIdsAreRefused() async throws {
    let folder = try TemporaryFolder()
    var ids = [Int64](repeating: 1, count: 18)
    ids[4] = 16_777_217
    let huge = try Self.write(
      NumPyArray(int64: ids, shape: [3, 6]), in: folder, "huge.npy")
    let result = await Self.run([
      "input_ids=\(huge)", "attention_mask=\(Self.file("attention_mask.npy"))",
    ])
    #expect(result.status == 1)
    #expect(
      result.standardError.contains("holds 16777217 at flat index 4")
        && result.standardError.contains("2^24"),
      "\(result.standardError)")
    ids[4] = 20
    let outside = try Self.write(
      NumPyArray(int64: ids, shape: [3, 6]), in: folder, "outside.npy")
    let gather = await Self.run([
      "input_ids=\(outside)",
      "attention_mask=\(Self.file("attention_mask.npy"))",
    ])
    #expect(gather.status == 1)
    #expect(
      gather.standardError.contains("(Gather)")
        && gather.standardError.contains("index 20.0 at position 4"),
      "\(gather.standardError)")
  }

  /// A single integer input takes a plain `--input FILE.npy`.
  @Test func singleIntegerInputNeedsNoName() async throws {
    let folder = try TemporaryFolder()
    let fixture = ExtendedOperatorRunTests.fixtures.appendingPathComponent(
      "gather-embedding")
    let output = folder.path("y.npy")
    let result = await EdgeSimMain.capture([
      "run", "--model", fixture.appendingPathComponent("model.onnx").path,
      "--input", fixture.appendingPathComponent("ids.npy").path,
      "--output", output,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let ours = try ExtendedOperatorRunTests.array(output)
    let reference = try ExtendedOperatorRunTests.array(
      fixture.appendingPathComponent("expected.npy").path)
    #expect(ours.float32Values == reference.float32Values)
  }
}
