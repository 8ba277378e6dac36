import HardwareModel
import NetworkGraph
import Simulation
import Testing

/// The scopes Documentation/Traces.md promises.
///
/// Layer figures cover the whole batch; the totals' energy is per inference;
/// every other total is the sum of its layers.
@Suite struct BatchScopeTests {
  @Test(arguments: Devices.bundledNames)
  func totalsAreLayerSumsAndEnergyIsPerInference(_ name: String) throws {
    let device = try #require(Devices.load(name))
    let batch = 3
    let outcome = Simulator.run(
      Networks.smallCNN(), on: device,
      options: SimulationOptions(batch: batch))
    guard case .completed(let summary) = outcome else {
      Issue.record("\(name): \(outcome)")
      return
    }
    let layers = summary.layers
    #expect(summary.batch == batch)
    #expect(summary.totals.cycles == layers.reduce(0) { $0 + $1.cycles })
    #expect(summary.totals.macs == layers.reduce(0) { $0 + $1.macs })
    let read = layers.reduce(0) { $0 + $1.dramRead.values.reduce(0, +) }
    let written = layers.reduce(0) { $0 + $1.dramWritten.values.reduce(0, +) }
    #expect(summary.totals.dramBytesRead == read)
    #expect(summary.totals.dramBytesWritten == written)
    let seconds = layers.reduce(0.0) { $0 + $1.seconds }
    #expect(abs(summary.totals.latency - seconds) <= 1e-12 * seconds)
    let batchEnergy = layers.reduce(0.0) { $0 + $1.energy.total }
    let perInference = summary.totals.energyPerInference
    #expect(
      abs(perInference * Double(batch) - batchEnergy) <= 1e-9 * batchEnergy)
    #expect(
      abs(summary.totals.energy.total - perInference) <= 1e-12 * perInference)
    let power = batchEnergy / summary.totals.latency
    #expect(abs(summary.totals.averagePower - power) <= 1e-9 * power)
    let throughput = Double(batch) / summary.totals.latency
    #expect(abs(summary.totals.throughput - throughput) <= 1e-9 * throughput)
  }
}
