import Foundation
import TestSupport
import Testing

/// An SSD's detection post-processing (`detection_postprocess`, TFLite's
/// `TFLite_Detection_PostProcess`): counted from its attributes, and run on
/// the host CPU by accelerators and delegates that do not run it
/// (`Documentation/Counting.md`, "Detection post-processing";
/// `Documentation/Simulator.md`, "Work on the host").
@Suite struct DetectionPostProcessTests {
  /// A small SSD head: 8×8 cells, 2 anchors each (128 anchors), 3 classes.
  static func workload(anchors: String = "128", classes: String = "3")
    -> String
  {
    """
    name: tiny-ssd
    input: {name: input, shape: [1, 3, 8, 8]}
    layers:
      - {name: boxes, op: conv, filters: 8, kernel: 1}
      - {name: box_flat, op: flatten}
      - {name: scores, op: conv, filters: 6, kernel: 1, inputs: [input]}
      - {name: score_flat, op: flatten}
      - {name: det, op: detection_postprocess, anchors: \(anchors), classes: \(classes), inputs: [box_flat, score_flat]}

    """
  }

  static func inspect(_ path: String) throws -> (
    EdgeSimProcess.Output, [[String: Any]]
  ) {
    let output = try EdgeSimProcess.run(["inspect", "--json", path])
    let object =
      (try? JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8)))
      as? [String: Any]
    return (output, object?["layers"] as? [[String: Any]] ?? [])
  }

  /// SSD MobileNet v1 at 300×300 ends in the post-processing of its 1917
  /// anchors and 91 classes; its operations are Counting.md's sum.
  @Test func theSSDWorkloadCountsItsPostProcessing() throws {
    let (output, layers) = try Self.inspect(
      "Workloads/ssd_mobilenet_v1_300.yaml")
    #expect(output.status == 0, "\(output.standardError)")
    let last = try #require(layers.last)
    #expect(last["op"] as? String == "TFLite_Detection_PostProcess")
    #expect(last["output"] as? [Int] == [1, 10, 6])
    // 18·1917 + 90·1917 + 1917 + 1917·11 + 19·10·1917.
    #expect(last["other_ops"] as? Int == 594_270)
    #expect(last["macs"] as? Int == 0)
  }

  /// A small head's count follows the attributes.
  @Test func theCountFollowsTheAttributes() throws {
    let folder = try EdgeSimProcess.temporaryFolder("detection")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("ssd.yaml")
    try Self.workload().write(to: file, atomically: true, encoding: .utf8)
    let (output, layers) = try Self.inspect(file.path)
    #expect(output.status == 0, "\(output.standardError)")
    let last = try #require(layers.last)
    // 18·128 + 2·128 + 128 + 128·7 + 19·10·128.
    #expect(last["other_ops"] as? Int == 27_904)
  }

  /// Attributes that do not match the inputs, or are out of range, are
  /// errors located at the attribute (file:line:column).
  @Test(arguments: [
    ("100", "3", "100", "'anchors' is 100"),
    ("128", "4", "4", "'classes' is 4"),
    ("128", "1", "1", "'classes' is 1; it must be"),
    ("0", "3", "0", "'anchors' is 0; it must be"),
  ])
  func badAttributesAreLocated(
    anchors: String, classes: String, at value: String, message: String
  ) throws {
    let folder = try EdgeSimProcess.temporaryFolder("detection")
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("ssd.yaml")
    let text = Self.workload(anchors: anchors, classes: classes)
    try text.write(to: file, atomically: true, encoding: .utf8)
    let lines = text.components(separatedBy: "\n")
    let row = try #require(lines.firstIndex { $0.contains("detection_") })
    let key = value == anchors ? "anchors: " : "classes: "
    let range = try #require(lines[row].range(of: key + value))
    let column =
      lines[row].distance(from: lines[row].startIndex, to: range.lowerBound)
      + key.count + 1
    let output = try EdgeSimProcess.run(["inspect", file.path])
    #expect(output.status != 0)
    #expect(
      output.standardError.contains("ssd.yaml:\(row + 1):\(column): error:"),
      "\(output.standardError)")
    #expect(output.standardError.contains(message), "\(output.standardError)")
  }

  static func hostLayers(_ run: HostPartitionTests.Run) -> [String] {
    run.layers.filter { $0["host"] != nil && $0["fused_into"] is NSNull }
      .map { $0["name"] as? String ?? "" }
  }

  /// The Edge TPU compiler leaves the custom operator to the host CPU: the
  /// SSD's last layer runs on `coral-host-cpu`, after the Edge TPU's part.
  @Test func coralRunsThePostProcessingOnItsHost() throws {
    let arguments = [
      "--hardware", "coral-edgetpu-usb", "--model", "ssd_mobilenet_v1_224",
      "--precision", "int8",
    ]
    let run = try HostPartitionTests.simulate(arguments)
    #expect(Self.hostLayers(run) == ["detections"])
    let host = try #require(run.layers.last)
    #expect(host["host"] as? String == "coral-host-cpu")
    #expect(((host["latency_s"] as? NSNumber)?.doubleValue ?? 0) > 0)
    #expect(
      run.layers.contains {
        $0["name"] as? String == "class_scores" && $0["host"] == nil
      })
    let text = try EdgeSimProcess.run(["simulate", "--no-trace"] + arguments)
    #expect(text.status == 0, "\(text.standardError)")
    #expect(text.standardOutput.contains("host coral-host-cpu"))
  }

  /// A `host:` block for TFLite's GPU delegate of 2019.
  ///
  /// The delegate at tensorflow/tensorflow 006108e9 (a 2019
  /// revision, `lite/delegates/gpu/common/model_builder.cc`,
  /// `NewOperationParser`, in the ONNX names EdgeSim's layers carry; it
  /// delegates up to the first operator it cannot run) with the phone's
  /// CPU as host, in fp32 (the delegate hands TFLite float32 tensors). Not
  /// bundled (pixel3-gpu.yaml says why); built here on a copy of the device.
  static let gpuDelegateHost = """
    host:
      device: pixel3-cpu
      precision: fp32
      operators: [Abs, Add, AveragePool, GlobalAveragePool, Concat, Conv, Cos, Div, Gemm, MatMul, HardSwish, Sigmoid, Log, LSTM, MaxPool, Mul, Pad, Pow, Relu, Clip, LeakyRelu, PRelu, Reshape, Flatten, Squeeze, Unsqueeze, Resize, Sin, Softmax, Slice, Sqrt, Sub, Tanh, Transpose, ConvTranspose, BatchNormalization, Identity, Dropout]

    """

  /// The bundled pixel3-gpu.yaml with `host` (the block above, or another)
  /// before its `power:` block, written into `folder`.
  static func delegateDevice(host: String = gpuDelegateHost, in folder: URL)
    throws -> String
  {
    let original = try String(
      contentsOf: EdgeSimProcess.root.appendingPathComponent(
        "Hardware/pixel3-gpu.yaml"), encoding: .utf8)
    #expect(!original.contains("\nhost:"))
    let power = try #require(original.range(of: "\npower:\n"))
    let text =
      original[..<power.lowerBound] + "\n" + host
      + original[power.lowerBound...].dropFirst()
    let file = folder.appendingPathComponent("pixel3-gpu.yaml")
    try String(text).write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  /// A GPU delegate that does not run the post-processing leaves it to the
  /// phone's CPU, which runs it in fp32.
  @Test func aGPUDelegateRunsThePostProcessingOnItsCPU() throws {
    let folder = try EdgeSimProcess.temporaryFolder("detection")
    defer { try? FileManager.default.removeItem(at: folder) }
    let device = try Self.delegateDevice(in: folder)
    let arguments = [
      "--model", "ssd_mobilenet_v1_300", "--precision", "fp16",
    ]
    let run = try HostPartitionTests.simulate(
      ["--hardware", device] + arguments)
    #expect(Self.hostLayers(run) == ["detections"])
    let host = try #require(run.layers.last)
    #expect(host["host"] as? String == "pixel3-cpu")
    let text = try EdgeSimProcess.run(
      ["simulate", "--no-trace", "--hardware", device] + arguments)
    #expect(text.status == 0, "\(text.standardError)")
    #expect(text.standardOutput.contains("host pixel3-cpu"))

    // Without `precision: fp32` the host would read fp16 inputs: half the
    // bytes of a memory-bound kernel.
    let fp16Folder = try EdgeSimProcess.temporaryFolder("detection")
    defer { try? FileManager.default.removeItem(at: fp16Folder) }
    let fp16Device = try Self.delegateDevice(
      host: Self.gpuDelegateHost.replacingOccurrences(
        of: "  precision: fp32\n", with: ""),
      in: fp16Folder)
    let fp16Host = try HostPartitionTests.simulate(
      ["--hardware", fp16Device] + arguments)
    let fp32Seconds = (host["latency_s"] as? NSNumber)?.doubleValue ?? 0
    let fp16Seconds =
      (fp16Host.layers.last?["latency_s"] as? NSNumber)?.doubleValue ?? 0
    #expect(fp32Seconds > fp16Seconds, "\(fp32Seconds) vs \(fp16Seconds)")
  }

  /// Every other pixel3-gpu row of the calibration and held-out sets runs
  /// whole on the GPU under that delegate: its JSON is the same byte for
  /// byte as the bundled device's, which has no `host:`.
  @Test func pixel3GPURowsWithoutAnUnsupportedOperatorAreUnchanged() throws {
    var models: [(String, String)] = []
    for name in ["published.csv", "held-out.csv"] {
      let text = try String(
        contentsOf: EdgeSimProcess.root.appendingPathComponent(
          "Hardware/measurements/\(name)"), encoding: .utf8)
      for line in text.components(separatedBy: "\n")
      where line.hasPrefix("pixel3-gpu,") {
        let fields = line.components(separatedBy: ",")
        if !fields[1].hasPrefix("ssd_") {
          models.append((fields[1], fields[2]))
        }
      }
    }
    #expect(models.count >= 33, "\(models.count)")
    let folder = try EdgeSimProcess.temporaryFolder("detection")
    defer { try? FileManager.default.removeItem(at: folder) }
    let device = try Self.delegateDevice(in: folder)
    for (model, precision) in models {
      let common = ["--model", model, "--precision", precision]
      let bundled = try HostPartitionTests.simulate(
        ["--hardware", "pixel3-gpu"] + common)
      let delegate = try HostPartitionTests.simulate(
        ["--hardware", device] + common)
      #expect(delegate.layers.allSatisfy { $0["host"] == nil }, "\(model)")
      #expect(bundled.json == delegate.json, "\(model)")
    }
  }
}
