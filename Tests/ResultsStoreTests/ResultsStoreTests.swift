import DesignSpace
import Foundation
import PrecisionModel
import ResultsStore
import Testing

@Suite struct ResultsStoreTests {
  static func temporaryPath(_ name: String) -> String {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("edgesim-results-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(
      at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(name).path
  }

  static func result(_ index: Int, _ status: PointStatus? = nil) -> PointResult
  {
    var point = DesignPoint(
      index: index, model: "m", device: "d", batch: 1, defaultBits: 8)
    point.precision = [
      PrecisionChoiceOfAxis(
        axis: "conv1", layers: .named(["conv1"]),
        setting: PrecisionSetting(bits: 8, fractionalLength: index))
    ]
    point.hardware = [HardwareOverride(parameter: .clock, value: 1.5e8)]
    let metrics = PointMetrics(
      latency: 1e-3 * Double(index + 1), energy: 2e-6, macEnergy: 1e-6,
      operationEnergy: 1e-8,
      dramEnergy: 5e-7, onChipEnergy: 4e-7, staticEnergy: 9e-8,
      dramBytes: 1000 + index,
      top1: index.isMultiple(of: 2) ? 0.97 : nil)
    return PointResult(point: point, status: status ?? .done(metrics))
  }

  @Test func recordsEachPointOnceAndReadsItBack() throws {
    let path = Self.temporaryPath("r.sqlite")
    let store = try ResultsStore(path: path)
    let done = Self.result(0)
    #expect(try !store.contains(done.point.id))
    #expect(try store.record(done))
    #expect(try store.contains(done.point.id))
    #expect(try !store.record(done))  // already there: kept, not duplicated
    try store.record(Self.result(1, .infeasible(reason: "no room")))
    try store.record(Self.result(2, .failed(error: "no layer")))
    #expect(
      try store.statusCounts() == ["done": 1, "infeasible": 1, "failed": 1])

    let again = try ResultsStore(path: path, readOnly: true)
    let rows = try again.allPoints()
    #expect(rows.count == 3)
    let row = try #require(rows.first { $0.pointID == done.point.id })
    #expect(row == PointRow(done))
    #expect(row.status == "done")
    #expect(row.precision == "conv1=8/fl0")
    #expect(row.hardware == "clock=150000000")
    #expect(row.parameters == done.point.canonical)
    #expect(row.metrics?.top1 == 0.97)
    let infeasible = try #require(rows.first { $0.status == "infeasible" })
    #expect(infeasible.reason == "no room")
    #expect(infeasible.metrics == nil)
  }

  @Test func usesWriteAheadLogging() throws {
    let path = Self.temporaryPath("wal.sqlite")
    let store = try ResultsStore(path: path)
    try store.record(Self.result(0))
    #expect(FileManager.default.fileExists(atPath: path + "-wal"))
  }

  @Test func mergeJoinsShardsAndRefusesConflicts() throws {
    let a = try ResultsStore(path: Self.temporaryPath("a.sqlite"))
    let b = try ResultsStore(path: Self.temporaryPath("b.sqlite"))
    let whole = try ResultsStore(path: Self.temporaryPath("whole.sqlite"))
    for i in 0..<10 {
      try (i.isMultiple(of: 2) ? a : b).record(Self.result(i))
      try whole.record(Self.result(i))
    }
    try b.record(Self.result(0))  // an overlap with the same figures is fine
    let out = try ResultsStore(path: Self.temporaryPath("out.sqlite"))
    #expect(try out.merge(from: a.path) == 5)
    #expect(try out.merge(from: b.path) == 5)
    #expect(try out.merge(from: b.path) == 0)
    #expect(try out.allPoints() == whole.allPoints())

    let odd = try ResultsStore(path: Self.temporaryPath("odd.sqlite"))
    try odd.record(Self.result(3, .infeasible(reason: "different")))
    try odd.record(Self.result(11))
    #expect(throws: ResultsStoreError.self) { try out.merge(from: odd.path) }
    // Nothing of a conflicting file is merged.
    #expect(try !out.contains(Self.result(11).point.id))
  }

  @Test func refusesFilesThatAreNotResults() throws {
    let path = Self.temporaryPath("not.sqlite")
    try Data("hello".utf8).write(to: URL(fileURLWithPath: path))
    #expect(throws: ResultsStoreError.self) { try ResultsStore(path: path) }
    let out = try ResultsStore(path: Self.temporaryPath("out.sqlite"))
    #expect(throws: ResultsStoreError.self) { try out.merge(from: path) }
    #expect(throws: ResultsStoreError.self) {
      try out.merge(from: Self.temporaryPath("missing.sqlite"))
    }
  }
}
