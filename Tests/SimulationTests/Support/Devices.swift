import Foundation
import HardwareModel
import SpecFormats

/// The bundled devices, read from `Hardware/*.yaml`.
enum Devices {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent()

  static let bundledNames = [
    "coral-edgetpu-usb", "eyeriss-v1", "pixel3-cpu", "pixel3-gpu", "pynq-z1",
    "stm32l4r5",
    "systolic-32x32", "zc706-qiu2016",
  ]

  static func load(_ name: String) -> Device? {
    let url = root.appendingPathComponent("Hardware/\(name).yaml")
    guard let data = try? Data(contentsOf: url) else { return nil }
    return HardwareLoader.read(bytes: Array(data), fileName: "\(name).yaml")
      .value
  }

  static var bundled: [Device] { bundledNames.compactMap(load) }
}

/// A small, seedable generator (SplitMix64) so property tests replay.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
