import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// The layer-list reader checks each layer on its own small graph and the
/// whole network's structure once (issue #16's speed work): what it reads
/// and what it reports are unchanged.
@Suite struct LayerListReaderCommandTests {
  /// NASNet-large, the largest bundled layer list (890 layers), counts
  /// what its generator wrote in the file's head comment.
  @Test func nasnetLargeCountsWhatTheHeaderSays() async throws {
    let run = try await inspectTotals(
      "\(EdgeSimProcess.root.path)/Workloads/nasnet_large.yaml")
    #expect(run.status == 0, "\(run.error)")
    #expect(run.totals["macs"] as? Int == 23_783_418_690)
    #expect(run.totals["params"] as? Int == 88_660_109)
  }

  /// A layer whose own nodes form a cycle (its activation node is named
  /// like the earlier layer it reads) is reported at the layer, as the
  /// network of the layer alone reports it.
  @Test func aCycleInsideALayerIsReportedAtTheLayer() async {
    let file =
      "\(EdgeSimProcess.root.path)/Tests/SpecFormatsTests/Fixtures/workloads/invalid/layer-cycle.yaml"
    let run = await EdgeSimMain.capture(["validate", file])
    #expect(run.status == 1)
    #expect(
      run.standardError.contains(
        "layer-cycle.yaml:8:5: error: the graph has a cycle through nodes 'b/relu' -> 'b'"
      ), "\(run.standardError)")
    #expect(
      run.standardError.contains(
        "hint: the layer reads 'b/relu' [1, 4, 6, 6]; check its attributes and inputs"
      ))
  }
}
