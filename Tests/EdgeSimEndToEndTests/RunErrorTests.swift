import Foundation
import TestSupport
import Testing

/// Bad inputs to `run` and `quantize` are clear errors with the right exit
/// status (1 failure, 2 usage), never a trap.
@Suite struct RunErrorTests {
  @Test func missingWeightsNameTheFile() throws {
    let result = try EdgeSimProcess.run([
      "run", "--model", "Workloads/onnx/torchvision/resnet18.onnx", "--input",
      RunSupport.images,
    ])
    #expect(result.status == 1)
    #expect(result.standardError.contains("error:"))
    #expect(result.standardError.contains("resnet18.weights"))
    let quantize = try EdgeSimProcess.run([
      "quantize", "--model", "Workloads/onnx/torchvision/resnet18.onnx",
      "--data", RunSupport.images,
      "--bits", "8", "--out", "/tmp/never.yaml",
    ])
    #expect(quantize.status == 1)
    #expect(quantize.standardError.contains("resnet18.weights"))
  }

  @Test func wrongInputShapeAndType() throws {
    let folder = try RunSupport.temporaryFolder("run-shape")
    defer { try? FileManager.default.removeItem(at: folder) }
    let wrong = folder.appendingPathComponent("wrong.npy")
    try RunSupport.writeFloats(
      [Float](repeating: 0.5, count: 2 * 64), shape: [2, 64], to: wrong)
    let shape = try EdgeSimProcess.run([
      "run", "--model", RunSupport.plain, "--input", wrong.path,
    ])
    #expect(shape.status == 1)
    #expect(shape.standardError.contains("shape [2, 64]"))
    #expect(shape.standardError.contains("[N, 1, 8, 8]"))
    let type = try EdgeSimProcess.run([
      "run", "--model", RunSupport.plain, "--input", RunSupport.labels,
    ])
    #expect(type.status == 1)
    #expect(type.standardError.contains("int64"))
    let labels = try EdgeSimProcess.run([
      "run", "--model", RunSupport.plain, "--input",
      "Tests/Fixtures/onnxruntime/digits-plain/input.npy",
      "--labels", RunSupport.labels,
    ])
    #expect(labels.status == 1)
    #expect(labels.standardError.contains("one label per sample"))
  }

  @Test func notANumberIsAClearError() throws {
    let folder = try RunSupport.temporaryFolder("run-nan")
    defer { try? FileManager.default.removeItem(at: folder) }
    var values = [Float](repeating: 0.25, count: 3 * 64)
    values[64 + 5] = .nan
    let input = folder.appendingPathComponent("nan.npy")
    try RunSupport.writeFloats(values, shape: [3, 1, 8, 8], to: input)
    let plan = try RunSupport.plan(in: folder)
    for extra in [[], ["--precision", plan]] {
      let result = try EdgeSimProcess.run(
        ["run", "--model", RunSupport.plain, "--input", input.path] + extra)
      #expect(result.status == 1, "\(extra)")
      #expect(
        result.standardError.contains("NaN (sample 1, element 5"),
        "\(result.standardError)")
    }
    // ±inf saturates and counts as overflow (FIXED_POINT.md §4).
    values[64 + 5] = .infinity
    try RunSupport.writeFloats(values, shape: [3, 1, 8, 8], to: input)
    let object = try RunSupport.json([
      "run", "--model", RunSupport.plain, "--input", input.path, "--precision",
      plan, "--json",
    ])
    let overflows =
      (object["input"] as? [String: Any])?["overflows"] as? [String: Any]
    #expect(overflows?["positive"] as? Int == 1)
  }

  @Test func badPrecisionFileIsLocated() throws {
    let folder = try RunSupport.temporaryFolder("run-precision")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("bad.yaml")
    try """
    input: {bits: 8, fl: 7}
    default:
      weight: {bits: 8, fl: 6}
      activation: {bits: 8, fl: 4}
    layers:
      /conv9/Conv:
        weight: {bits: 8, fl: 5}
    """.write(to: file, atomically: true, encoding: .utf8)
    let unknown = try EdgeSimProcess.run([
      "run", "--model", RunSupport.plain, "--input", RunSupport.images,
      "--precision", file.path,
    ])
    #expect(unknown.status == 1)
    #expect(
      unknown.standardError.contains("bad.yaml:6:3"), "\(unknown.standardError)"
    )
    #expect(unknown.standardError.contains("/conv9/Conv"))
    try "input: {bits: 0, fl: 7}\ndefault: {}\n".write(
      to: file, atomically: true, encoding: .utf8)
    let bits = try EdgeSimProcess.run([
      "run", "--model", RunSupport.plain, "--input", RunSupport.images,
      "--precision", file.path,
    ])
    #expect(bits.status == 1)
    #expect(bits.standardError.contains("bad.yaml:1:"), "\(bits.standardError)")
  }

  @Test func usageErrorsExitTwo() throws {
    let common = [
      "quantize", "--model", RunSupport.plain, "--data", RunSupport.images,
      "--out", "/tmp/never.yaml",
    ]
    let method = try EdgeSimProcess.run(
      common + ["--bits", "8", "--method", "qiuu"])
    #expect(method.status == 2)
    #expect(method.standardError.contains("qiu"))
    let zero = try EdgeSimProcess.run(common + ["--bits", "0"])
    #expect(zero.status == 2)
    #expect(zero.standardError.contains("from 2 to 32"))
    let noDefault = try EdgeSimProcess.run(common + ["--bits", "conv=8"])
    #expect(noDefault.status == 2)
    let unknownLayer = try EdgeSimProcess.run(
      common + ["--bits", "convv1=8,*=8"])
    #expect(unknownLayer.status == 2)
    #expect(
      unknownLayer.standardError.contains("did you mean 'conv1'"),
      "\(unknownLayer.standardError)")
    let relu = try EdgeSimProcess.run(common + ["--bits", "Relu=4,*=8"])
    #expect(relu.status == 2)
    let dumpWithoutPrecision = try EdgeSimProcess.run([
      "run", "--model", RunSupport.plain, "--input", RunSupport.images,
      "--dump", "/tmp/never",
    ])
    #expect(dumpWithoutPrecision.status == 2)
  }

  @Test func dumpNeverReplacesAForeignFolder() throws {
    let folder = try RunSupport.temporaryFolder("run-foreign")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plan = try RunSupport.plan(in: folder)
    // `folder` holds the plan and no formats.json: not a dump.
    let result = try EdgeSimProcess.run([
      "run", "--model", RunSupport.plain, "--input", RunSupport.images,
      "--precision", plan,
      "--dump", folder.path,
    ])
    #expect(result.status == 1)
    #expect(FileManager.default.fileExists(atPath: plan))
  }
}
