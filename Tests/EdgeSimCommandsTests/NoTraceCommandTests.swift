import EdgeSimCommands
import Testing

/// Issue #16: `simulate --no-trace` keeps no trace events (nothing writes
/// them); what it prints is what a run that writes its trace prints.
@Suite struct NoTraceCommandTests {
  @Test(arguments: ["pixel3-cpu", "npu-32x32"])
  func tableWithoutTraceIsTheTracedRunsTable(_ device: String) async throws {
    let folder = try TemporaryFolder()
    let trace = folder.path("trace")
    let arguments = [
      "simulate", "--model", "resnet18", "--hardware", device,
    ]
    let traced = await EdgeSimMain.capture(arguments + ["--trace", trace])
    let untraced = await EdgeSimMain.capture(arguments + ["--no-trace"])
    #expect(traced.status == 0)
    #expect(untraced.status == 0)
    #expect(traced.standardError.contains("trace written to \(trace)/"))
    #expect(!untraced.standardOutput.isEmpty)
    #expect(untraced.standardOutput == traced.standardOutput)
  }
}
