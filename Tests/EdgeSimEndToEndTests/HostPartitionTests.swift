import Foundation
import TestSupport
import Testing

/// An accelerator that names a host (`host:` in its file) runs the layers
/// before the first one it does not run; that layer and every later one run
/// on the host device (`Documentation/Simulator.md`, "Work on the host").
@Suite struct HostPartitionTests {
  struct Run {
    var json: String
    var latency: Double
    var layers: [[String: Any]]
  }

  static func simulate(_ arguments: [String], in folder: URL? = nil) throws
    -> Run
  {
    let output = try EdgeSimProcess.run(
      ["simulate", "--no-trace", "--json"] + arguments, in: folder)
    #expect(output.status == 0, "\(arguments): \(output.standardError)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(output.standardOutput.utf8))
        as? [String: Any])
    let totals = try #require(object["totals"] as? [String: Any])
    return Run(
      json: output.standardOutput,
      latency: try #require((totals["latency_s"] as? NSNumber)?.doubleValue),
      layers: try #require(object["layers"] as? [[String: Any]]))
  }

  /// Coral's compiled DeepLab v3 ends its Edge TPU custom op at `aspp0` and
  /// the image-pooling conv; the image-pooling resize (a 33x upscale) and
  /// everything after it run on the host CPU.
  @Test func deeplabRunsItsTailOnTheHost() throws {
    let arguments = [
      "--hardware", "coral-edgetpu-usb", "--model", "deeplab_v3_513",
      "--precision", "int8",
    ]
    let run = try Self.simulate(arguments)
    let hostNames = run.layers.filter {
      $0["host"] != nil && $0["fused_into"] is NSNull
    }.map { $0["name"] as? String ?? "" }
    #expect(
      hostNames == [
        "image_pooling_resize", "aspp_concat", "concat_projection", "logits",
        "logits_resize_identity", "logits_resize", "argmax",
      ], "\(hostNames)")
    for layer in run.layers where layer["host"] != nil {
      #expect(layer["host"] as? String == "coral-host-cpu")
    }
    let onDevice = run.layers.filter { $0["host"] == nil }.map {
      $0["name"] as? String ?? ""
    }
    #expect(onDevice.contains("aspp0"))
    #expect(onDevice.contains("image_pooling_conv"))
    func seconds(_ layers: [[String: Any]]) -> Double {
      layers.reduce(0) {
        $0 + (($1["latency_s"] as? NSNumber)?.doubleValue ?? 0)
      }
    }
    let host = seconds(run.layers.filter { $0["host"] != nil })
    let all = seconds(run.layers)
    // The total includes the host's layers, which take milliseconds
    // (concat_projection's 143 M MACs alone on one desktop core); the JSON
    // prints times to a few significant digits.
    #expect(abs(all - run.latency) <= 1e-6 * run.latency)
    #expect(host > 1e-3, "\(host)")
    // The host's layers start after the Edge TPU's part.
    let firstHost = try #require(run.layers.first { $0["host"] != nil })
    let lastDevice = try #require(run.layers.last { $0["host"] == nil })
    let hostStart = (firstHost["start_s"] as? NSNumber)?.doubleValue ?? 0
    let deviceEnd =
      ((lastDevice["start_s"] as? NSNumber)?.doubleValue ?? 0)
      + ((lastDevice["latency_s"] as? NSNumber)?.doubleValue ?? 0)
    #expect(abs(hostStart - deviceEnd) <= 1e-6 * run.latency)

    let text = try EdgeSimProcess.run(["simulate", "--no-trace"] + arguments)
    #expect(text.status == 0, "\(text.standardError)")
    #expect(text.standardOutput.contains("host coral-host-cpu"))
  }

  /// A model the Edge TPU runs whole never reaches the host: its JSON is
  /// the same byte for byte as with a copy of the device without `host:`.
  @Test(arguments: ["mobilenet_v1", "resnet50"])
  func aModelTheDeviceRunsWholeIsUnchanged(model: String) throws {
    let folder = try EdgeSimProcess.temporaryFolder("host-partition")
    defer { try? FileManager.default.removeItem(at: folder) }
    let original = try String(
      contentsOf: EdgeSimProcess.root.appendingPathComponent(
        "Hardware/coral-edgetpu-usb.yaml"), encoding: .utf8)
    let lines = original.components(separatedBy: "\n")
    let start = try #require(lines.firstIndex(of: "host:"))
    var end = start + 1
    while end < lines.count, lines[end].hasPrefix("  ") { end += 1 }
    let stripped = (lines[..<start] + lines[end...]).joined(separator: "\n")
    #expect(!stripped.contains("coral-host-cpu"))
    let file = folder.appendingPathComponent("coral-edgetpu-usb.yaml")
    try stripped.write(to: file, atomically: true, encoding: .utf8)

    let common = ["--model", model, "--precision", "int8"]
    let bundled = try Self.simulate(
      ["--hardware", "coral-edgetpu-usb"] + common)
    let withoutHost = try Self.simulate(["--hardware", file.path] + common)
    #expect(bundled.layers.allSatisfy { $0["host"] == nil })
    #expect(bundled.json == withoutHost.json)
  }

  /// A host that cannot be found is a located load error, not a run
  /// without it.
  @Test func anUnknownHostIsAnError() throws {
    let folder = try EdgeSimProcess.temporaryFolder("host-partition")
    defer { try? FileManager.default.removeItem(at: folder) }
    let original = try String(
      contentsOf: EdgeSimProcess.root.appendingPathComponent(
        "Hardware/coral-edgetpu-usb.yaml"), encoding: .utf8)
    let renamed = original.replacingOccurrences(
      of: "device: coral-host-cpu", with: "device: no-such-host")
    let file = folder.appendingPathComponent("edgetpu.yaml")
    try renamed.write(to: file, atomically: true, encoding: .utf8)
    let output = try EdgeSimProcess.run([
      "simulate", "--no-trace", "--hardware", file.path, "--model",
      "deeplab_v3_513", "--precision", "int8",
    ])
    #expect(output.status != 0)
    #expect(output.standardError.contains("no-such-host"))
  }
}
