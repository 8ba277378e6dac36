import BitAccurateExecution
import FixedPointArithmetic
import NetworkGraph
import Testing

/// A run that retains only the graph outputs computes the same bits as a
/// run that retains everything, and keeps nothing else.
@Suite struct RetentionTests {
  @Test(arguments: ["digits-plain", "digits-dwsep"])
  func outputsOnlyRunMatchesFullRun(model: String) throws {
    let network = try Fixtures.model(model)
    let input = try Fixtures.tensor(
      "Tests/Fixtures/onnxruntime/\(model)/input.npy")
    let calibration = try Calibrator.calibrate(
      network: network, data: input, configuration: CalibrationConfiguration())
    let executor = try FixedPointExecutor(
      network: network, plan: calibration.plan)
    let full = try executor.run(input: input, retaining: .everything)
    let legacy = try executor.run(input: input, keepWide: true)
    let tensors = try executor.run(input: input, retaining: .tensors)
    let outputs = try executor.run(input: input, retaining: .outputs)

    #expect(!full.outputs.isEmpty)
    #expect(outputs.outputs == full.outputs)
    #expect(outputs.events == full.events)
    #expect(outputs.inputEvents == full.inputEvents)
    #expect(tensors.outputs == full.outputs)
    #expect(tensors.tensors == full.tensors)
    #expect(tensors.wide.isEmpty)
    #expect(legacy.tensors == full.tensors)
    #expect(legacy.wide == full.wide)
    #expect(!full.wide.isEmpty)
    // Released intermediates are not reachable from the run.
    #expect(outputs.tensors.isEmpty)
    #expect(outputs.wide.isEmpty)
    #expect(outputs.inputs.isEmpty)
    // The outputs equal the graph-output tensors of the full run.
    #expect(outputs.outputs == network.outputs.compactMap { full.tensors[$0] })
  }
}
