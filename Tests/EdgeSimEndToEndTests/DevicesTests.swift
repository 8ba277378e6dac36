import Foundation
import TestSupport
import Testing

@Suite struct DevicesTests {
  static let expected = [
    "coral-edgetpu-usb", "coral-host-cpu", "eyeriss-v1", "npu-32x32",
    "pixel3-cpu", "pixel3-gpu",
    "pynq-z1",
    "stm32l4r5",
    "systolic-32x32", "zc706-qiu2016",
  ]

  @Test func listsTheBundledDevices() throws {
    let result = try EdgeSimProcess.run(["devices"])
    #expect(result.status == 0, "\(result.standardError)")
    for name in Self.expected {
      #expect(result.standardOutput.contains(name), "\(name) missing")
    }
    #expect(result.standardOutput.contains("peak MAC/s"))
  }

  @Test func jsonHasHeadlineFigures() throws {
    let result = try EdgeSimProcess.run(["devices", "--json"])
    #expect(result.status == 0)
    let object =
      try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))
      as? [String: Any]
    let devices = object?["devices"] as? [[String: Any]] ?? []
    #expect(
      devices.compactMap { $0["name"] as? String }.sorted() == Self.expected)
    let systolic = devices.first { $0["name"] as? String == "systolic-32x32" }
    let peaks = systolic?["peak_macs_per_s"] as? [String: Any]
    #expect(peaks?["int8"] as? Double == 1.024e12)
  }

  /// The copies built into the binary equal the files in Hardware/ (run
  /// Scripts/embed-bundled.py after editing a device).
  @Test func embeddedDevicesMatchTheFiles() throws {
    let embedded = try EdgeSimProcess.run(["devices", "--json"])
    let onDisk = try EdgeSimProcess.run([
      "devices", "--json", "--dir", "Hardware",
    ])
    #expect(onDisk.status == 0)
    #expect(
      embedded.standardOutput == onDisk.standardOutput,
      "run python3 Scripts/embed-bundled.py")
  }
}
