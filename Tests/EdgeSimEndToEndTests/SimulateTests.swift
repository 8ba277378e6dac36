import Foundation
import Testing

@Suite struct SimulateTests {
  func tempFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("edgesim-simulate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test func defaultRunPrintsTheTableAndWritesATrace() throws {
    let folder = try tempFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try EdgeSimProcess.run(["simulate", "--trace", folder.path])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.contains("mobilenet_v2 on systolic-32x32"))
    #expect(result.standardOutput.contains("latency"))
    for file in ["summary.json", "layers.csv", "trace.json"] {
      let data = try Data(contentsOf: folder.appendingPathComponent(file))
      #expect(!data.isEmpty, "\(file)")
    }
    let summary =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: folder.appendingPathComponent("summary.json")))
      as? [String: Any]
    #expect(summary?["schema"] as? String == "edgesim.trace/1")
    let chrome = try JSONSerialization.jsonObject(
      with: Data(contentsOf: folder.appendingPathComponent("trace.json")))
    #expect(chrome is [String: Any] || chrome is [Any])
  }

  @Test func everyBundledDeviceRunsAModel() throws {
    for device in [
      "coral-edgetpu-usb", "eyeriss-v1", "pixel3-cpu", "pixel3-gpu", "pynq-z1",
      "stm32l4r5",
      "systolic-32x32", "zc706-qiu2016",
    ] {
      let result = try EdgeSimProcess.run([
        "simulate", "--no-trace", "--json", "--hardware", device, "--model",
        "lenet5",
      ])
      #expect(result.status == 0, "\(device): \(result.standardError)")
      let object = try? JSONSerialization.jsonObject(
        with: Data(result.standardOutput.utf8))
      #expect(object != nil, "\(device)")
    }
  }

  @Test func shorthandPrecisionsAndBatch() throws {
    let int8 = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--hardware", "pixel3-cpu", "--model", "lenet5",
      "--precision", "int8",
    ])
    #expect(int8.status == 0)
    #expect(int8.standardOutput.contains("int8"))
    let batch = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--hardware", "pixel3-cpu", "--model", "lenet5",
      "--batch", "4",
    ])
    #expect(batch.status == 0)
    #expect(batch.standardOutput.contains("batch 4"))
  }

  @Test func errorsAreClear() throws {
    let unknownDevice = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--hardware", "eyeris-v1",
    ])
    #expect(unknownDevice.status == 1)
    #expect(unknownDevice.standardError.contains("did you mean 'eyeriss-v1'?"))
    let badPrecision = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--precision", "int9",
    ])
    #expect(badPrecision.status == 1)
    let unsupported = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--hardware", "coral-edgetpu-usb",
      "--precision", "fp32",
      "--model", "lenet5",
    ])
    #expect(unsupported.status == 1)
    #expect(unsupported.standardError.contains("cannot run"))
    #expect(try EdgeSimProcess.run(["simulate", "--batch", "0"]).status == 2)
  }

  @Test func precisionFileDrivesTheWidths() throws {
    let folder = try tempFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("p.yaml")
    try """
    input: {bits: 8, fl: 7}
    default:
      weight: {bits: 8, fl: 6}
      activation: {bits: 8, fl: 4}
    layers:
      fc3:
        weight: {bits: 4, fl: 3}
    """.write(to: file, atomically: true, encoding: .utf8)
    let result = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--hardware", "systolic-32x32", "--model",
      "lenet5",
      "--precision", file.path,
    ])
    #expect(result.status == 0, "\(result.standardError)")
    #expect(result.standardOutput.contains("per-layer"))
    let bad = folder.appendingPathComponent("bad.yaml")
    try
      "input: {bits: 8, fl: 7}\ndefault: {weight: {bits: 8, fl: 6}}\nlayers:\n  fc9: {weight: {bits: 4}}\n"
      .write(to: bad, atomically: true, encoding: .utf8)
    let located = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--model", "lenet5", "--precision", bad.path,
    ])
    #expect(located.status == 1)
    #expect(
      located.standardError.contains("bad.yaml:4:3: error: unknown layer 'fc9'")
    )
  }
}
