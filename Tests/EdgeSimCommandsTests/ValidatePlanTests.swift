import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// `edgesim validate` knows compression plans (`defaults:`), as README's
/// `validate … Workloads/compression/*.yaml` line needs.
@Suite struct ValidatePlanTests {
  static let root = EdgeSimProcess.root.path

  @Test func bundledPlansAreValid() async {
    let plans = ["90", "70", "50", "30"].map {
      "\(Self.root)/Workloads/compression/digits-dc-\($0).yaml"
    }
    let run = await EdgeSimMain.capture(["validate"] + plans)
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardError.contains("4 files valid"))
  }

  @Test func aBadPlanIsLocated() async throws {
    let folder = try TemporaryFolder()
    let plan = folder.path("plan.yaml")
    try "defaults: {density: 1.5, cluster_bits: 5}\n".write(
      toFile: plan, atomically: true, encoding: .utf8)
    let run = await EdgeSimMain.capture(["validate", plan])
    #expect(run.status == 1)
    #expect(run.standardError.contains("\(plan):1:21: error: 'density'"))
    let json = await EdgeSimMain.capture([
      "validate", "--kind", "compression-plan", "--json", plan,
    ])
    #expect(json.status == 1)
  }
}
