import Foundation
import ResultsStore
import Testing

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// A 10,000-point sweep completes with every point stored, and the process's
/// memory does not grow with the sweep (points are made lazily and at most
/// `--jobs` are in flight).
@Suite struct LargeSweepTests {
  @Test func tenThousandPointsRunInBoundedMemory() throws {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    // One small layer, so the test is about the sweep machinery.
    let model = """
      name: tiny
      input: {name: input, shape: [1, 4, 8, 8]}
      layers:
        - {name: conv1, op: conv, filters: 4, kernel: 3, padding: 1}
      """
    // 100 array sides × 100 clocks.
    let clocks = (1...100).map { "\($0 * 10) MHz" }.joined(separator: ", ")
    let spec = """
      name: large
      models: tiny.yaml
      devices: systolic-32x32
      hardware:
        array_size: 1..100
        clock: [\(clocks)]
      """
    try Data(model.utf8).write(to: folder.appendingPathComponent("tiny.yaml"))
    try Data(spec.utf8).write(to: folder.appendingPathComponent("spec.yaml"))
    let (status, log) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "r.sqlite"], in: folder
    ).statusAndError
    #expect(status == 0, "\(log)")
    #expect(log.contains("10000 points"), "\(log)")
    let store = try ResultsStore(
      path: folder.appendingPathComponent("r.sqlite").path, readOnly: true)
    #expect(try store.statusCounts().values.reduce(0, +) == 10_000)
    var usage = rusage()
    getrusage(RUSAGE_CHILDREN.rawValue, &usage)
    // ru_maxrss is in KiB on Linux: the largest child so far. A sweep that
    // kept every point or result would grow with the sweep; this bound is
    // far above the measured peak (see BENCHMARKS.md) and far below what
    // unbounded growth over 10,000 points with traces would take.
    #expect(usage.ru_maxrss < 400 * 1024, "peak RSS \(usage.ru_maxrss) KiB")
  }
}
