import HardwareModel
import NetworkGraph
import Simulation
import Testing

/// Cases that cannot run come back as `.infeasible` with a reason.
@Suite struct InfeasibleTests {
  @Test func tileThatCannotFit() {
    // A 5×5 filter of 8 channels needs 200 B of weights even at one filter
    // and one channel... 25 B > the 8 B usable half of a 16 B partition.
    let network = Networks.singleConv(
      channels: 8, filters: 8, size: 12, kernel: 5)
    let outcome = Simulator.run(network, on: TinyDevices.starvedArray())
    guard case .infeasible(let reason, let layer) = outcome else {
      Issue.record("expected infeasible, got \(outcome)")
      return
    }
    #expect(layer == "conv")
    #expect(reason.contains("smallest"))
    #expect(reason.contains("weights"))
  }

  @Test func unsupportedPrecision() throws {
    let device = try #require(Devices.load("coral-edgetpu-usb"))
    let outcome = Simulator.run(
      Networks.smallCNN(), on: device,
      options: SimulationOptions(precision: .uniform(.fp32)))
    guard case .infeasible(let reason, _) = outcome else {
      Issue.record("expected infeasible, got \(outcome)")
      return
    }
    #expect(reason.contains("int8"))
  }

  @Test func activationTooLargeForAMicrocontroller() throws {
    let device = try #require(Devices.load("stm32l4r5"))
    let network = Networks.singleConv(
      channels: 16, filters: 16, size: 256, kernel: 3, pad: 1)
    let outcome = Simulator.run(
      network, on: device,
      options: SimulationOptions(precision: .uniform(.int8)))
    guard case .infeasible(let reason, _) = outcome else {
      Issue.record("expected infeasible, got \(outcome)")
      return
    }
    #expect(reason.contains("activation"))
  }
}
