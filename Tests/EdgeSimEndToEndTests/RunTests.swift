import BitAccurateExecution
import Foundation
import NumPyFormat
import ONNXImport
import SpecFormats
import TestSupport
import Testing

/// `edgesim run`: float agreement with onnxruntime, accuracy, the raw dump,
/// slicing, and clear errors.
@Suite struct RunTests {
  @Test func floatRunAgreesWithOnnxruntime() throws {
    let fixture = EdgeSimProcess.root.appendingPathComponent(
      "Tests/Fixtures/onnxruntime/digits-plain")
    let manifest = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: fixture.appendingPathComponent("manifest.json")))
        as? [String: Any])
    let input = try #require(
      (manifest["input"] as? [String: Any])?["file"] as? String)
    let logits = try #require(
      ((manifest["outputs"] as? [String: Any])?["logits"] as? [String: Any])?[
        "file"] as? String)
    let folder = try RunSupport.temporaryFolder("run-float")
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("y.npy")
    let result = try EdgeSimProcess.run([
      "run", "--model", RunSupport.plain, "--input",
      fixture.appendingPathComponent(input).path,
      "--output", output.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let ours = try RunSupport.array(output)
    let reference = try RunSupport.array(fixture.appendingPathComponent(logits))
    #expect(ours.shape == reference.shape)
    let scale = reference.float32Values.map { abs($0) }.max() ?? 1
    let worst =
      zip(ours.float32Values, reference.float32Values).map { abs($0 - $1) }
      .max() ?? .infinity
    #expect(worst <= 1e-4 * scale, "max |diff| \(worst), max |ref| \(scale)")
  }

  @Test func floatRunReportsAccuracy() throws {
    let object = try RunSupport.json([
      "run", "--model", RunSupport.plain, "--input", RunSupport.images,
      "--labels", RunSupport.labels,
      "--json",
    ])
    #expect(object["samples"] as? Int == 540)
    #expect(object["mode"] as? String == "float")
    let top1 = try #require(object["top1"] as? Double)
    #expect(abs(top1 - 0.9815) < 0.0001)
    #expect((object["top5"] as? Double ?? 0) >= top1)
  }

  @Test func eightBitQiuIsWithinOnePointOfFloat() throws {
    let folder = try RunSupport.temporaryFolder("run-qiu")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plan = try RunSupport.plan(in: folder)
    // The written file reads back with the precision reader.
    let text = try Data(contentsOf: URL(fileURLWithPath: plan))
    #expect(
      PrecisionReader.read(bytes: [UInt8](text), fileName: plan).value != nil)
    let common = [
      "--model", RunSupport.plain, "--input", RunSupport.images, "--labels",
      RunSupport.labels, "--json",
    ]
    let float = try RunSupport.json(["run"] + common)
    let fixed = try RunSupport.json(["run", "--precision", plan] + common)
    let floatTop1 = try #require(float["top1"] as? Double)
    let fixedTop1 = try #require(fixed["top1"] as? Double)
    #expect(
      abs(fixedTop1 - floatTop1) <= 0.01,
      "float \(floatTop1), fixed \(fixedTop1)")
    #expect(fixed["mode"] as? String == "fixed")
    #expect(fixed["float_top1"] as? Double == floatTop1)
    // Per-layer §9 statistics.
    let layers = try #require(fixed["layers"] as? [[String: Any]])
    #expect(layers.count == 7)
    let conv = try #require(layers.first)
    #expect(conv["op"] as? String == "Conv")
    for key in [
      "overflows", "underflows", "used_bits", "sqnr_local_db",
      "sqnr_end_to_end_db", "mean_error_lsb",
    ] {
      #expect(conv[key] != nil, "\(key)")
    }
    #expect((conv["sqnr_end_to_end_db"] as? Double ?? 0) > 20)
    #expect(conv["weight"] != nil && conv["accumulator"] != nil)
  }

  @Test func readableTableNamesEveryLayer() throws {
    let folder = try RunSupport.temporaryFolder("run-table")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plan = try RunSupport.plan(in: folder)
    let result = try EdgeSimProcess.run([
      "run", "--model", RunSupport.plain, "--input", RunSupport.images,
      "--labels", RunSupport.labels,
      "--precision", plan,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    for text in [
      "/conv1/Conv", "/fc/Gemm", "SQNR local dB", "top-1", "(float",
      "540 samples",
    ] {
      #expect(result.standardOutput.contains(text), "\(text)")
    }
  }

  @Test func dumpFollowsTheSpecAndMatchesTheExecutor() throws {
    let folder = try RunSupport.temporaryFolder("run-dump")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plan = try RunSupport.plan(in: folder)
    let fixture = "Tests/Fixtures/onnxruntime/digits-plain/input.npy"
    let dump = folder.appendingPathComponent("raws")
    let result = try EdgeSimProcess.run([
      "run", "--model", RunSupport.plain, "--input", fixture, "--precision",
      plan, "--dump", dump.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    let formats = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: dump.appendingPathComponent("formats.json")))
        as? [String: [String: Any]])
    // The quantized input and every node output.
    let expectedNames = [
      "input", "/conv1/Conv_output_0", "/Relu_output_0", "/conv2/Conv_output_0",
      "/Relu_1_output_0",
      "/pool/MaxPool_output_0", "/Flatten_output_0", "logits",
    ]
    #expect(Set(formats.keys) == Set(expectedNames))
    let files = try FileManager.default.contentsOfDirectory(atPath: dump.path)
    #expect(files.count == expectedNames.count + 1)
    for name in expectedNames {
      let format = try #require(formats[name])
      #expect(
        format["signed"] as? Bool == true && format["bits"] as? Int == 8
          && format["fl"] is Int)
      let file = DumpEntry.sanitized(name) + ".npy"
      let array = try RunSupport.array(dump.appendingPathComponent(file))
      #expect(array.kind == .int64, "\(file)")
      #expect(array.shape.first == 16, "\(file)")
    }
    // One tensor against the executor in this process.
    let model = try #require(
      ONNXImporter.read(
        bytes: [UInt8](
          try Data(
            contentsOf: EdgeSimProcess.root.appendingPathComponent(
              RunSupport.plain))),
        fileName: "digits-plain.onnx", externalData: { _ in .notFound }
      ).value)
    let planText = [UInt8](try Data(contentsOf: URL(fileURLWithPath: plan)))
    let precision = try #require(
      PrecisionReader.read(bytes: planText, fileName: plan).value)
    let input = try RunSupport.array(
      EdgeSimProcess.root.appendingPathComponent(fixture))
    let run = try FixedPointExecutor(network: model.network, plan: precision)
      .run(
        input: try FloatTensor(shape: input.shape, values: input.float32Values))
    guard case .fixed(let conv2) = run.tensors["/conv2/Conv_output_0"] else {
      Issue.record("conv2 is not fixed point")
      return
    }
    let dumped = try RunSupport.array(
      dump.appendingPathComponent("_conv2_Conv_output_0.npy"))
    #expect(dumped.shape == conv2.shape)
    #expect(dumped.values == .int64(conv2.raws))
    #expect(
      formats["/conv2/Conv_output_0"]?["fl"] as? Int
        == conv2.format.fractionalLength)
  }

  @Test func batchSizeChangesNothing() throws {
    let folder = try RunSupport.temporaryFolder("run-batch")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plan = try RunSupport.plan(in: folder)
    let common = [
      "run", "--model", RunSupport.plain, "--input", RunSupport.images,
      "--labels", RunSupport.labels,
      "--precision", plan, "--json",
    ]
    let whole = try RunSupport.json(
      common + ["--dump", folder.appendingPathComponent("a").path])
    let sliced = try RunSupport.json(
      common + [
        "--batch-size", "100", "--dump",
        folder.appendingPathComponent("b").path,
      ])
    for key in [
      "top1", "top5", "float_top1", "top1_agreement", "total_overflows",
      "samples", "bits_moved",
    ] {
      #expect("\(whole[key] ?? "nil")" == "\(sliced[key] ?? "nil")", "\(key)")
    }
    let a = whole["layers"] as? [[String: Any]] ?? []
    let b = sliced["layers"] as? [[String: Any]] ?? []
    #expect(a.count == b.count)
    for (x, y) in zip(a, b) {
      #expect(x["overflows"] as? Int == y["overflows"] as? Int)
      #expect(x["used_bits"] as? Int == y["used_bits"] as? Int)
      let sx = x["sqnr_end_to_end_db"] as? Double ?? 0
      let sy = y["sqnr_end_to_end_db"] as? Double ?? 0
      #expect(abs(sx - sy) < 1e-6, "\(x["name"] ?? "")")
    }
    for file in try FileManager.default.contentsOfDirectory(
      atPath: folder.appendingPathComponent("a").path)
    {
      let x = try Data(contentsOf: folder.appendingPathComponent("a/\(file)"))
      let y = try Data(contentsOf: folder.appendingPathComponent("b/\(file)"))
      #expect(x == y, "\(file)")
    }
  }
}
