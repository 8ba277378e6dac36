import DesignSpace
import Foundation
import ResultsStore
import TestSupport
import Testing

/// The energy-aware precision search as a user runs it: on the trained
/// digits classifier, with top-1 measured bit-accurately.
@Suite(.serialized) struct PrecisionSearchEndToEndTests {
  static let digits = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
    .appendingPathComponent("Workloads/digits")

  /// A small search (kept small for debug builds): three layers at 8, 6 or
  /// 4 bits, 100 evaluation and 40 calibration samples.
  static func spec(drop: Double, bits: String = "[8, 6, 4]") -> String {
    """
    name: search
    strategy: {search: {objective: energy, max_accuracy_drop: \(drop)}}
    models: \(digits.path)/digits-plain.onnx
    devices: zc706-qiu2016
    precision:
      axes:
        - {layers: /conv1/Conv, bits: \(bits)}
        - {layers: /conv2/Conv, bits: \(bits)}
        - {layers: /fc/Gemm, bits: \(bits)}
    accuracy:
      evaluation: {data: \(digits.path)/test-images.npy, labels: \(digits.path)/test-labels.npy, samples: 200..299}
      calibration: {samples: 0..39}
    """
  }

  static func run(_ folder: URL, drop: Double = 1.0) throws -> (Int32, String) {
    try Data(spec(drop: drop).utf8).write(
      to: folder.appendingPathComponent("spec.yaml"))
    return try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "s.sqlite", "--jobs", "2"], in: folder
    ).statusAndError
  }

  @Test func findsAPrecisionWithinBudgetThatSavesEnergyAndResumes() throws {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    let (status, log) = try Self.run(folder)
    #expect(status == 0, "\(log)")
    let store = try ResultsStore(
      path: folder.appendingPathComponent("s.sqlite").path)
    let choice = try #require(try store.chosenPoints().first, "\(log)")
    let chosen = try #require(try store.point(choice.pointID)?.metrics)
    let start = try #require(try store.point(choice.startPointID)?.metrics)
    // The start is uniform 8-bit; the chosen point saves energy within 1 point.
    #expect(
      try store.point(choice.startPointID)?.precision
        == "/conv1/Conv=8;/conv2/Conv=8;/fc/Gemm=8")
    #expect(chosen.energy < start.energy)
    let top1 = try #require(chosen.top1)
    #expect(top1 >= choice.floatTop1 - 0.01)
    #expect(
      choice.evaluations == (try store.statusCounts().values.reduce(0, +)))
    #expect(log.contains("chose "), "\(log)")

    // Killed mid-search and started again, it ends with the same points
    // and the same choice.
    let killedAt = try SweepResumeTests.runAndKill(
      folder, db: "killed.sqlite", atLeast: 3)
    #expect(killedAt < choice.evaluations)
    let (resumed, log2) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "killed.sqlite", "--jobs", "2"], in: folder
    ).statusAndError
    #expect(resumed == 0, "\(log2)")
    let killed = try ResultsStore(
      path: folder.appendingPathComponent("killed.sqlite").path)
    #expect(try killed.chosenPoints() == [choice])
    #expect(try killed.allPoints() == (try store.allPoints()))

    // And with the outcome stored, the search is skipped.
    let (third, log3) = try Self.run(folder)
    #expect(third == 0)
    #expect(log3.contains("already stored"), "\(log3)")
  }

  @Test func aBudgetEvenTheMostPrecisePointMissesChoosesNothingAndSaysWhy()
    throws
  {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    // Every layer at 2 bits only: far below float.
    try Data(Self.spec(drop: 1, bits: "2").utf8).write(
      to: folder.appendingPathComponent("spec.yaml"))
    let (status, log) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "s.sqlite"], in: folder
    ).statusAndError
    #expect(status == 0, "\(log)")
    #expect(
      log.contains("nothing chosen (the most precise point has top-1"), "\(log)"
    )
    let store = try ResultsStore(
      path: folder.appendingPathComponent("s.sqlite").path)
    #expect(try store.chosenPoints().isEmpty)
    #expect(
      try store.hasSearchOutcome(
        "model=\(Self.digits.path)/digits-plain.onnx;device=zc706-qiu2016;batch=1"
      ))
  }

  @Test func aSearchWithoutAccuracyIsRefusedWithItsLocation() throws {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    let spec = """
      strategy: {search: {max_accuracy_drop: 1}}
      models: lenet5
      devices: systolic-32x32
      precision:
        axes:
          - {layers: all, bits: [8, 4]}
      """
    try Data(spec.utf8).write(to: folder.appendingPathComponent("spec.yaml"))
    let (status, log) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "s.sqlite"], in: folder
    ).statusAndError
    #expect(status == 1)
    #expect(
      log.contains(
        "spec.yaml:1:1: error: the search strategy needs 'accuracy' in every study"
      ), "\(log)")
    #expect(
      !FileManager.default.fileExists(
        atPath: folder.appendingPathComponent("s.sqlite").path))
  }

  @Test func accuracyOfABundledLayerListIsRefused() throws {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    let spec = """
      models: lenet5
      devices: systolic-32x32
      accuracy:
        evaluation: {data: \(Self.digits.path)/test-images.npy, labels: \(Self.digits.path)/test-labels.npy}
      """
    try Data(spec.utf8).write(to: folder.appendingPathComponent("spec.yaml"))
    let (status, log) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "s.sqlite"], in: folder
    ).statusAndError
    #expect(status == 1)
    #expect(
      log.contains("'lenet5' is a bundled layer list without weights"), "\(log)"
    )
  }

  @Test func samplesBeyondTheFileAreRefused() throws {
    let folder = try EdgeSimProcess.temporaryFolder("sweep")
    let spec = Self.spec(drop: 1).replacingOccurrences(
      of: "200..299", with: "500..999")
    try Data(spec.utf8).write(to: folder.appendingPathComponent("spec.yaml"))
    let (status, log) = try EdgeSimProcess.run(
      ["sweep", "spec.yaml", "--db", "s.sqlite"], in: folder
    ).statusAndError
    #expect(status == 1)
    #expect(
      log.contains(
        "samples 500..999 asked of a file with 540 samples (0..539)"), "\(log)")
  }
}
