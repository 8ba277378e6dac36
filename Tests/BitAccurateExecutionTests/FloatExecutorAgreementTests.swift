import BitAccurateExecution
import Foundation
import NetworkGraph
import Testing

/// The float reference executor against onnxruntime (issue item 2): every
/// node output the fixture has, and the logits, within 1e-4 × max|ref|.
@Suite struct FloatExecutorAgreementTests {
  struct Manifest: Decodable {
    struct Node: Decodable {
      var node: String
      var output: String
      var file: String
    }
    struct Output: Decodable { var file: String }
    var nodes: [Node]
    var outputs: [String: Output]
  }

  @Test(arguments: ["digits-plain", "digits-dwsep"])
  func agreesWithOnnxruntime(model: String) throws {
    let folder = "Tests/Fixtures/onnxruntime/\(model)/"
    let manifest = try JSONDecoder().decode(
      Manifest.self, from: Data(try Fixtures.bytes(folder + "manifest.json")))
    let network = try Fixtures.model(model)
    let input = try Fixtures.tensor(folder + "input.npy")
    let run = try FloatExecutor(network: network).run(input: input)
    var checked = 0
    var references: [(String, String)] = manifest.nodes.map {
      ($0.output, $0.file)
    }
    for (name, output) in manifest.outputs {
      references.append((name, output.file))
    }
    for (tensor, file) in references {
      let reference = try Fixtures.tensor(folder + file)
      guard let ours = run.tensors[tensor] else {
        Issue.record("tensor \(tensor) was not produced")
        continue
      }
      #expect(ours.shape == reference.shape, "\(tensor)")
      let scale = reference.values.map { abs($0) }.max() ?? 0
      let difference =
        zip(ours.values, reference.values).map { abs($0 - $1) }.max() ?? 0
      #expect(
        difference <= 1e-4 * scale,
        "\(tensor): max |diff| \(difference), max |ref| \(scale)")
      checked += 1
    }
    #expect(checked == manifest.nodes.count + manifest.outputs.count)
  }
}
