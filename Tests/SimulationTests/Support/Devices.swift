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
