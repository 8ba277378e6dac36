import HardwareModel
import NetworkGraph
import Simulation
import TestSupport
import Testing

/// A result is never faster than the roofline: max(MACs / peak, bytes /
/// bandwidth), over seeded random layers and devices.
@Suite struct RooflinePropertyTests {
  static func randomConv(_ g: inout SplitMix64) -> (Network, String) {
    let channels = [1, 3, 8, 16, 32, 64].randomElement(using: &g) ?? 8
    let filters = [1, 4, 16, 24, 64, 96].randomElement(using: &g) ?? 16
    let kernel = [1, 3, 5, 7].randomElement(using: &g) ?? 3
    let stride = [1, 1, 2].randomElement(using: &g) ?? 1
    let size = Int.random(in: kernel...40, using: &g)
    let depthwise = Bool.random(using: &g) && channels > 1
    let network = Networks.singleConv(
      channels: channels, filters: depthwise ? channels : filters, size: size,
      kernel: kernel,
      stride: stride, pad: kernel / 2, group: depthwise ? channels : 1)
    return (
      network,
      "C\(channels) M\(depthwise ? channels : filters) H\(size) k\(kernel) s\(stride) dw\(depthwise)"
    )
  }

  @Test(arguments: [UInt64(1), 2, 3, 4])
  func neverFasterThanTheRoofline(seed: UInt64) throws {
    var g = SplitMix64(seed: seed)
    let devices = Devices.bundled
    try #require(!devices.isEmpty)
    for _ in 0..<12 {
      let (network, label) = Self.randomConv(&g)
      var device = try #require(devices.randomElement(using: &g))
      if device.memory[0].readBandwidth.isFinite {
        let scale: Double = [0.25, 1.0, 4.0].randomElement(using: &g) ?? 1
        device.memory[0].readBandwidth *= scale
        device.memory[0].writeBandwidth *= scale
      }
      guard case .completed(let summary) = Simulator.run(network, on: device)
      else { continue }
      for layer in summary.layers where layer.macs > 0 {
        let peak = summary.peakMACsPerSecond
        #expect(
          layer.seconds >= layer.roofline.boundSeconds * (1 - 1e-9),
          "seed \(seed) \(device.name) \(label)")
        #expect(
          layer.seconds >= Double(layer.macs) / peak * (1 - 1e-9),
          "seed \(seed) \(device.name) \(label)")
        let dram =
          Double(layer.dramRead.values.reduce(0, +))
          / (device.memory[0].readBandwidth)
        #expect(
          layer.seconds >= dram * (1 - 1e-9),
          "seed \(seed) \(device.name) \(label)")
      }
    }
  }
}
