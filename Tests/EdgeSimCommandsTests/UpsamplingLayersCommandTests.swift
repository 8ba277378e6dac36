import EdgeSimCommands
import Foundation
import TestSupport
import Testing

/// The layer-list ops that the calibration set's segmentation and detection
/// networks need (issue 15): `resize`, `space_to_depth` and
/// `conv {transposed: true}`, through `edgesim inspect` as a user runs it.
@Suite struct UpsamplingLayersCommandTests {
  private func inspect(_ yaml: String) async throws -> (
    status: Int32, totals: [String: Any], error: String
  ) {
    let folder = try TemporaryFolder()
    try yaml.write(
      toFile: folder.path("w.yaml"), atomically: true, encoding: .utf8)
    return try await inspectTotals(folder.path("w.yaml"))
  }

  /// A transposed 3x3 stride-2 conv doubles the map and counts input pixels
  /// × C × filters × 9 MACs (Counting.md); space-to-depth and resize change
  /// the shapes the next conv sees, so its MACs say they were right.
  @Test func shapesAndCountsFollowTheOps() async throws {
    let result = try await inspect(
      """
      name: t
      input: {name: x, shape: [1, 4, 8, 8]}
      layers:
        - {name: up, op: conv, filters: 6, kernel: 3, stride: 2, padding: same, transposed: true, bias: false}
        - {name: s2d, op: space_to_depth, block: 2}
        - {name: c1, op: conv, filters: 2, kernel: 1}
        - {name: big, op: resize, scale: 4, mode: linear}
        - {name: c2, op: conv, filters: 1, kernel: 1}
        - {name: fixed, op: resize, size: [5, 7], inputs: [c1]}
        - {name: c3, op: conv, filters: 1, kernel: 1}
      """)
    #expect(result.status == 0, "\(result.error)")
    // up: 8·8 pixels × 4 × 6 × 9 = 13,824 → [1, 6, 16, 16]
    // s2d → [1, 24, 8, 8]; c1: 64 × 24 × 2 = 3,072 → [1, 2, 8, 8]
    // big → [1, 2, 32, 32]; c2: 1,024 × 2 = 2,048
    // fixed → [1, 2, 5, 7]; c3: 35 × 2 = 70
    #expect(result.totals["macs"] as? Int == 13_824 + 3_072 + 2_048 + 70)
    // up 4·6·9 = 216; c1 24·2 + 2 = 50; c2 3; c3 3: no parameters for the
    // scales, sizes or block.
    #expect(result.totals["params"] as? Int == 216 + 50 + 3 + 3)
  }

  /// Bad resize and space-to-depth layers get located errors, not traps.
  @Test func badLayersGetLocatedErrors() async throws {
    let cases: [(String, String)] = [
      ("{name: r, op: resize, scale: 2, size: [4, 4]}", "not both"),
      ("{name: r, op: resize}", "needs 'scale' or 'size'"),
      ("{name: r, op: resize, scale: 2, mode: cubic}", "'cubic'"),
      ("{name: r, op: resize, scale: [2, 2, 2]}", "has 3 values"),
      ("{name: s, op: space_to_depth}", "block"),
      ("{name: s, op: space_to_depth, block: 3}", "w.yaml:4"),
    ]
    for (layer, message) in cases {
      let result = try await inspect(
        """
        name: t
        input: {name: x, shape: [1, 4, 8, 8]}
        layers:
          - \(layer)
        """)
      #expect(result.status != 0, "\(layer)")
      #expect(result.error.contains(message), "\(layer): \(result.error)")
      #expect(result.error.contains("w.yaml:4:"), "\(layer): \(result.error)")
    }
  }

  /// The eight calibration rows that had no workload now name one, and every
  /// file's count is what its header says (the generator's own arithmetic).
  @Test func theCalibrationSetsLastNetworksLoad() async throws {
    let expected: [(String, Int)] = [
      ("yolov2_416", 14_732_084_224),
      ("nasnet_mobile", 563_639_872),
      ("deeplab_v3_513", 2_740_709_056),
      ("unet_mobilenet_v2_128", 585_512_960),
      ("ssd_mobilenet_v1_224", 664_852_736),
    ]
    for (model, macs) in expected {
      let run = try await inspectTotals(
        "\(EdgeSimProcess.root.path)/Workloads/\(model).yaml")
      #expect(run.status == 0, "\(model): \(run.error)")
      #expect(run.totals["macs"] as? Int == macs, "\(model)")
    }
  }
}
