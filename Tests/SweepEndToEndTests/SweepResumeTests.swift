import Foundation
import ResultsStore
import Testing

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// `edgesim sweep` as a user runs it: killed and resumed, sharded and
/// merged, and a 10,000-point sweep.
@Suite(.serialized) struct SweepResumeTests {
  /// 384 points of LeNet-5 on the systolic array: long enough to kill mid-run.
  static let spec = """
    name: resume
    models: lenet5
    devices: systolic-32x32
    hardware:
      array_size: 4..67
      bandwidth: [1 GB/s, 2 GB/s, 4 GB/s]
      clock: [500 MHz, 1 GHz]
    """
  static let total = 64 * 3 * 2

  static func count(_ path: String) -> Int {
    guard FileManager.default.fileExists(atPath: path),
      let store = try? ResultsStore(path: path, readOnly: true),
      let counts = try? store.statusCounts()
    else { return 0 }
    return counts.values.reduce(0, +)
  }

  /// Starts a sweep and sends SIGKILL once at least `atLeast` points are
  /// stored; returns how many were stored after the kill.
  static func runAndKill(_ folder: URL, db: String, atLeast: Int) throws -> Int
  {
    let (process, _) = try EdgeSimProcess.start(
      ["sweep", "spec.yaml", "--db", db, "--jobs", "2"], in: folder
    ).processAndLog
    let path = folder.appendingPathComponent(db).path
    let deadline = Date().addingTimeInterval(300)
    while process.isRunning, count(path) < atLeast, Date() < deadline {
      usleep(2000)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return count(path)
  }

  @Test func killedTwiceAndResumedEqualsAnUninterruptedRun() throws {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    try Data(Self.spec.utf8).write(
      to: folder.appendingPathComponent("spec.yaml"))
    let (status, log) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "whole.sqlite"], in: folder
    ).statusAndError
    #expect(status == 0, "\(log)")
    #expect(log.contains("\(Self.total) evaluated"), "\(log)")

    let first = try Self.runAndKill(
      folder, db: "killed.sqlite", atLeast: Self.total / 5)
    #expect(
      first > 0 && first < Self.total,
      "killed after \(first) points: not mid-run")
    let second = try Self.runAndKill(
      folder, db: "killed.sqlite", atLeast: first + Self.total / 5)
    #expect(
      second > first && second < Self.total,
      "killed after \(second) points: not mid-run")
    let (resumed, resumedLog) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "killed.sqlite"], in: folder
    ).statusAndError
    #expect(resumed == 0, "\(resumedLog)")
    #expect(resumedLog.contains("\(second) already recorded"), "\(resumedLog)")

    let whole = try ResultsStore(
      path: folder.appendingPathComponent("whole.sqlite").path, readOnly: true)
    let killed = try ResultsStore(
      path: folder.appendingPathComponent("killed.sqlite").path, readOnly: true)
    let expected = try whole.allPoints()
    let got = try killed.allPoints()
    #expect(expected.count == Self.total)
    #expect(Set(got.map(\.pointID)).count == got.count)
    #expect(got == expected)

    // Running a finished sweep again evaluates nothing.
    let (again, againLog) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "killed.sqlite"], in: folder
    ).statusAndError
    #expect(again == 0)
    #expect(
      againLog.contains("\(Self.total) already recorded, 0 evaluated"),
      "\(againLog)")
  }

  @Test func shardsMergedEqualOneUnshardedRun() throws {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    let spec = """
      models: lenet5
      devices: [systolic-32x32, eyeriss-v1]
      hardware:
        clock: [200 MHz, 400 MHz, 800 MHz]
      batch: [1, 2]
      """
    try Data(spec.utf8).write(to: folder.appendingPathComponent("spec.yaml"))
    #expect(
      try EdgeSimProcess.run(
        ["sweep", "spec.yaml", "--db", "whole.sqlite"], in: folder
      ).statusAndError.0 == 0)
    for k in 1...3 {
      let (status, log) = try EdgeSimProcess.run(
        [
          "sweep", "spec.yaml", "--db", "part-\(k).sqlite", "--shard", "\(k)/3",
        ], in: folder
      ).statusAndError
      #expect(status == 0, "\(log)")
      #expect(log.contains("4 points"), "\(log)")
    }
    let (merged, log) = try EdgeSimProcess.run(
      [
        "sweep", "merge", "all.sqlite", "part-1.sqlite", "part-2.sqlite",
        "part-3.sqlite",
      ], in: folder
    ).statusAndError
    #expect(merged == 0, "\(log)")
    let whole = try ResultsStore(
      path: folder.appendingPathComponent("whole.sqlite").path, readOnly: true)
    let all = try ResultsStore(
      path: folder.appendingPathComponent("all.sqlite").path, readOnly: true)
    #expect(try whole.allPoints().count == 12)
    #expect(try all.allPoints() == whole.allPoints())
  }

  @Test func badArgumentsAndFilesAreReported() throws {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    try Data("models: lenet5\ndevices: systolic-32x32\nbatch: 0\n".utf8)
      .write(to: folder.appendingPathComponent("bad.yaml"))
    let (status, log) = try EdgeSimProcess.run(
      ["sweep", "bad.yaml", "--db", "r.sqlite"], in: folder
    ).statusAndError
    #expect(status == 1)
    #expect(log.contains("bad.yaml:3:8: error: 'batch' has 0"), "\(log)")
    let (shard, shardLog) = try EdgeSimProcess.run(
      ["sweep", "bad.yaml", "--db", "r.sqlite", "--shard", "4/3"], in: folder
    ).statusAndError
    #expect(shard == 2, "\(shardLog)")
    try Data(
      "models: lenet5\ndevices: systolic-32x32\nprecision:\n  axes:\n    - {layers: conv9, bits: 8}\n"
        .utf8
    )
    .write(to: folder.appendingPathComponent("layer.yaml"))
    let (layer, layerLog) = try EdgeSimProcess.run(
      ["sweep", "layer.yaml", "--db", "r.sqlite"], in: folder
    ).statusAndError
    #expect(layer == 1)
    #expect(layerLog.contains("lenet5 has no layer 'conv9'"), "\(layerLog)")
  }
}
