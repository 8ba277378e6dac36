import DesignSpace
import SpecFormats
import Testing

/// Compression axes of a sweep file: points, their parameter text and its
/// parsing, and the search's order of levels.
@Suite struct CompressionAxisTests {
  static let yaml = """
    name: compression
    studies:
      - models: net.onnx
        devices: d
        precision:
          groups: {convs: [c1, c2]}
          axes:
            - {layers: fc, bits: [4, 8]}
        compression:
          huffman: true
          axes:
            - {layers: convs, density: [1, 0.5]}
            - {layers: fc, cluster_bits: [none, 8, 2..3]}
            - {layers: all, ternary: [twn, none, 0.05]}
            - {layers: c1, energy: 0.9}
        hardware:
          clock: [150 MHz, 1 GHz]
    """

  static func plan() throws -> SweepPlan {
    let result = SweepReader.read(bytes: Array(yaml.utf8), fileName: "s.yaml")
    return try #require(result.value, "\(result.diagnostics)")
  }

  /// Compression axes multiply the grid between precision and hardware;
  /// every point writes them and parses back to itself.
  @Test func pointsRoundTrip() throws {
    let plan = try Self.plan()
    #expect(try plan.totalCount() == 2 * 2 * 4 * 3 * 1 * 2)
    var ids = Set<String>()
    for index in 0..<(try plan.totalCount()) {
      let point = plan.point(at: index)
      #expect(point.compression.count == 4)
      #expect(point.huffman)
      let parsed = try plan.point(parameters: point.canonical).get()
      #expect(parsed == point)
      ids.insert(point.id)
    }
    #expect(ids.count == 96)
    let first = plan.point(at: 0)
    #expect(
      first.canonical
        == "model=net.onnx;device=d;batch=1;precision[fc]=4;huffman=1;"
        + "compression[convs/density]=1;compression[fc/cluster_bits]=none;"
        + "compression[all/ternary]=twn;compression[c1/energy]=0.9;"
        + "hardware[clock]=150000000")
  }

  /// A point's plan: `all` sets defaults, layers their entries, `none`
  /// removes; the later axis wins between ternary and sharing.
  @Test func pointPlan() throws {
    let plan = try Self.plan()
    // density 0.5, cluster_bits 3, ternary 0.05 (all, after fc's sharing).
    let point = try #require(
      (0..<96).lazy.map { plan.point(at: $0) }.first {
        $0.canonical.contains("density]=0.5;")
          && $0.canonical.contains("cluster_bits]=3;")
          && $0.canonical.contains("ternary]=0.05;")
      })
    let compression = try #require(point.compressionPlan)
    #expect(compression.settings(for: "c1").density == 0.5)
    #expect(compression.settings(for: "c1").lowRank == .energy(0.9))
    #expect(compression.settings(for: "c1").huffman)
    #expect(compression.settings(for: "fc").clusterBits == nil)
    #expect(compression.settings(for: "fc").ternary == .fraction(0.05))
    #expect(compression.settings(for: "other").density == nil)
  }

  /// The search lowers a compression axis from its least compressing level
  /// to its most: `none` first, then densities and bits downwards,
  /// thresholds upwards (TWN last).
  @Test func searchOrder() throws {
    let axes = try Self.plan().studies[0].compressionAxes
    #expect(
      axes.map(\.orderByCompression) == [
        [0, 1], [0, 1, 3, 2], [1, 2, 0], [0],
      ])
  }
}
