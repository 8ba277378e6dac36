import HardwareModel
import NetworkGraph
import Simulation
import TestSupport
import Testing

/// More bandwidth or more on-chip memory never makes a layer slower.
@Suite struct MonotonicityPropertyTests {
  static func latency(_ network: Network, _ device: Device) -> Double? {
    Simulator.run(network, on: device).summary?.totals.latency
  }

  static func scaledBandwidth(_ device: Device, _ factor: Double) -> Device {
    var copy = device
    for i in copy.memory.indices {
      copy.memory[i].readBandwidth *= factor
      copy.memory[i].writeBandwidth *= factor
    }
    return copy
  }

  static func scaledCapacity(_ device: Device, _ factor: Double) -> Device {
    var copy = device
    for i in copy.memory.indices {
      switch copy.memory[i].capacity {
      case .unbounded: break
      case .shared(let b): copy.memory[i].capacity = .shared(bytes: b * factor)
      case .partitioned(let p):
        copy.memory[i].capacity = .partitioned(p.mapValues { $0 * factor })
      }
    }
    return copy
  }

  @Test(arguments: [UInt64(11), 12, 13])
  func moreBandwidthNeverSlower(seed: UInt64) throws {
    var g = SplitMix64(seed: seed)
    for _ in 0..<10 {
      let (network, label) = RooflinePropertyTests.randomConv(&g)
      let device = try #require(Devices.bundled.randomElement(using: &g))
      guard let base = Self.latency(network, device) else { continue }
      let faster = try #require(
        Self.latency(network, Self.scaledBandwidth(device, 2)))
      #expect(
        faster <= base * (1 + 1e-12),
        "seed \(seed) \(device.name) \(label): \(faster) > \(base)")
    }
  }

  @Test(arguments: [UInt64(21), 22, 23])
  func moreOnChipMemoryNeverSlower(seed: UInt64) throws {
    var g = SplitMix64(seed: seed)
    for _ in 0..<10 {
      let (network, label) = RooflinePropertyTests.randomConv(&g)
      let device = try #require(Devices.bundled.randomElement(using: &g))
      guard let base = Self.latency(network, device) else { continue }
      let bigger = try #require(
        Self.latency(network, Self.scaledCapacity(device, 2)))
      #expect(
        bigger <= base * (1 + 1e-12),
        "seed \(seed) \(device.name) \(label): \(bigger) > \(base)")
    }
  }
}
