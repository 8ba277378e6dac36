import Mapping
import NetworkGraph
import TestSupport
import Testing

/// Issue #16: a caller that has inferred a network's shapes (the model
/// loader) hands them to ``LayerExtraction``, which then does not infer them
/// again; the layers are the same as when it infers them itself.
@Suite struct LayerExtractionShapesTests {
  static func networks() throws -> [(String, Network)] {
    [
      ("LeNet-5", try TestNetworks.leNet5()),
      ("AlexNet", try Networks.alexNet()),
    ]
  }

  @Test func givenShapesGiveTheSameLayers() throws {
    for (name, network) in try Self.networks() {
      for batch in [1, 3] {
        let inferred = try LayerExtraction.layers(of: network, batch: batch)
        let given = try LayerExtraction.layers(
          of: network, batch: batch, shapes: network.inferShapes())
        #expect(!given.isEmpty, "\(name) at batch \(batch)")
        #expect(given == inferred, "\(name) at batch \(batch)")
      }
    }
  }
}
