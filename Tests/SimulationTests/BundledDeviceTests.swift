import HardwareModel
import NetworkGraph
import Simulation
import Testing

@Suite struct BundledDeviceTests {
  @Test func everyBundledDeviceLoads() {
    #expect(Devices.bundled.count == Devices.bundledNames.count)
  }

  @Test(arguments: Devices.bundledNames)
  func smallNetworkRunsOnEveryDevice(_ name: String) throws {
    let device = try #require(Devices.load(name))
    let outcome = Simulator.run(Networks.smallCNN(), on: device)
    guard case .completed(let summary) = outcome else {
      Issue.record("\(name): \(outcome)")
      return
    }
    #expect(summary.totals.latency > 0)
    #expect(summary.totals.energyPerInference > 0)
    #expect(summary.totals.macs > 0)
    for layer in summary.layers {
      #expect(
        layer.seconds >= layer.roofline.boundSeconds * (1 - 1e-9),
        "\(name) \(layer.name)")
    }
    print(
      name, summary.totals.latency, summary.totals.energyPerInference,
      summary.layers.map {
        "\($0.name):\($0.cycles):\($0.bound.description):\($0.outputStaysOnChip)"
      })
  }
}
