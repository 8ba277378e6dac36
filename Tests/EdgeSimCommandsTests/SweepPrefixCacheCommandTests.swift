import EdgeSimCommands
import Foundation
import ResultsStore
import TestSupport
import Testing

/// Issue #19 item 3 through `edgesim sweep`: accuracy points that resume
/// from the tensors earlier points left (`--prefix-cache`, on by default)
/// store exactly the rows of a sweep that runs every point from its input
/// (`--prefix-cache 0`).
@Suite struct SweepPrefixCacheCommandTests {
  static let root = EdgeSimProcess.root.path

  /// Per-layer fl axes on both digits models, listed against the layer
  /// order (so the reuse order differs from the plan's numbering), with
  /// accuracy on 400 held-out images.
  static let spec = """
    name: per-layer-fl
    studies:
      - models: \(root)/Workloads/digits/digits-dwsep.onnx
        devices: zc706-qiu2016
        precision:
          default_bits: 8
          axes:
            - {layers: /fc/Gemm, bits: 8, fl: 3..4}
            - {layers: /pointwise/Conv, bits: 8, fl: 3..4}
            - {layers: /depthwise/Conv, bits: 8, fl: 2..3}
            - {layers: /conv1/Conv, bits: 8, fl: 4..5}
        accuracy:
          evaluation: {data: \(root)/Workloads/digits/test-images.npy, labels: \(root)/Workloads/digits/test-labels.npy, samples: 140..539}
          calibration: {samples: 0..139}
      - models: \(root)/Workloads/digits/digits-plain.onnx
        devices: zc706-qiu2016
        precision:
          default_bits: 8
          axes:
            - {layers: /fc/Gemm, bits: 8, fl: 3..4}
            - {layers: /conv2/Conv, bits: 8, fl: 2..4}
            - {layers: /conv1/Conv, bits: 8, fl: 4..5}
        accuracy:
          evaluation: {data: \(root)/Workloads/digits/test-images.npy, labels: \(root)/Workloads/digits/test-labels.npy, samples: 140..539}
          calibration: {samples: 0..139}
    """

  static func sweep(
    _ folder: TemporaryFolder, _ name: String, _ extra: [String]
  )
    async throws -> [PointRow]
  {
    let db = folder.path(name)
    let result = await EdgeSimMain.capture(
      ["sweep", folder.path("sweep.yaml"), "--db", db, "--quiet"] + extra)
    #expect(result.status == 0, "\(result.standardError)")
    return try ResultsStore(path: db, readOnly: true).allPoints()
  }

  @Test func cachedSweepStoresTheRowsOfAnUncachedOne() async throws {
    let folder = try TemporaryFolder()
    try Self.spec.write(
      toFile: folder.path("sweep.yaml"), atomically: true, encoding: .utf8)
    let uncached = try await Self.sweep(
      folder, "uncached.sqlite", ["--prefix-cache", "0", "--jobs", "1"])
    let cached = try await Self.sweep(folder, "cached.sqlite", ["--jobs", "1"])
    let twoJobs = try await Self.sweep(folder, "jobs.sqlite", ["--jobs", "2"])
    #expect(uncached.count == 16 + 12)
    #expect(cached == uncached)
    #expect(twoJobs == uncached)
    // The rows hold measured accuracies, and the fl axes move them.
    let top1 = uncached.compactMap { $0.metrics?.top1 }
    #expect(top1.count == uncached.count)
    #expect(Set(top1).count > 1)
  }

  @Test func prefixCacheMustBeAnAmountOfMemory() async throws {
    let result = await EdgeSimMain.capture([
      "sweep", "x.yaml", "--db", "x.sqlite", "--prefix-cache", "-1",
    ])
    #expect(result.status != 0)
    #expect(result.standardError.contains("--prefix-cache"))
  }
}
