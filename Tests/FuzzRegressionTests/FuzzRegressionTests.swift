import Foundation
import Testing

/// Hostile input never traps or hangs a reader.
///
/// The inputs fuzzing ever found (`Regressions/<reader>/`) and a few hundred seeded mutants of the
/// bundled files per reader are fed to ``FuzzedReader/exercise(_:)``. A trap
/// ends the test process; set `EDGESIM_FUZZ_DUMP` to a folder to have each
/// input written there (`current.<reader>`) before it runs, so the one that
/// trapped can be kept. `Pending/` holds findings whose fix has not landed;
/// it is not run (see Fuzz/README.md).
@Suite struct FuzzRegressionTests {
  static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let root = here.deletingLastPathComponent().deletingLastPathComponent()

  static let environment = ProcessInfo.processInfo.environment

  /// Mutants per reader (`EDGESIM_FUZZ_MUTANTS` for a longer run).
  static let mutantCount =
    environment["EDGESIM_FUZZ_MUTANTS"].flatMap { Int($0) } ?? 200
  /// The time a reader's seeds and mutants may take, after which the loop
  /// stops early, so a slow machine runs fewer mutants rather than a longer
  /// test (`EDGESIM_FUZZ_SECONDS` for a longer run).
  static let budget = Duration.seconds(
    environment["EDGESIM_FUZZ_SECONDS"].flatMap { Double($0) } ?? 1)
  /// Added to every reader's mutator seed (`EDGESIM_FUZZ_SEED`): 0 in the
  /// test suite, so every run feeds the same mutants.
  static let runSeed =
    environment["EDGESIM_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0

  static func files(in folder: URL, extensions: [String]? = nil) -> [URL] {
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.sorted().map { folder.appendingPathComponent($0) }.filter {
      url in
      var isFolder: ObjCBool = false
      guard
        FileManager.default.fileExists(
          atPath: url.path, isDirectory: &isFolder),
        !isFolder.boolValue, !url.lastPathComponent.hasPrefix(".")
      else { return false }
      return extensions.map { $0.contains(url.pathExtension.lowercased()) }
        ?? true
    }
  }

  static func seeds(for reader: FuzzedReader) -> [[UInt8]] {
    var seen = Set<String>()
    var result: [[UInt8]] = []
    for folder in reader.seedFolders {
      let url = root.appendingPathComponent(folder)
      for file in files(in: url, extensions: reader.seedExtensions)
      where seen.insert(file.standardizedFileURL.path).inserted {
        guard let data = try? Data(contentsOf: file),
          data.count <= FuzzedReader.seedSizeLimit
        else { continue }
        result.append(Array(data))
      }
    }
    return result
  }

  static func dump(_ bytes: [UInt8], for reader: FuzzedReader) {
    guard let folder = environment["EDGESIM_FUZZ_DUMP"]
    else { return }
    let url = URL(fileURLWithPath: folder).appendingPathComponent(
      "current.\(reader.rawValue)")
    try? Data(bytes).write(to: url)
  }

  @Test(arguments: FuzzedReader.allCases)
  func regressionsReturn(_ reader: FuzzedReader) {
    let folder = Self.here.appendingPathComponent("Regressions")
      .appendingPathComponent(reader.rawValue)
    for file in Self.files(in: folder) {
      guard let data = try? Data(contentsOf: file) else {
        Issue.record("cannot read \(file.path)")
        continue
      }
      Self.dump(Array(data), for: reader)
      let start = ContinuousClock.now
      reader.exercise(Array(data))
      let elapsed = ContinuousClock.now - start
      // Generous for a debug build; the release bound is 10 s.
      #expect(
        elapsed < .seconds(30), "\(file.lastPathComponent) took \(elapsed)")
    }
  }

  @Test(arguments: FuzzedReader.allCases)
  func seedsAndMutantsReturn(_ reader: FuzzedReader) {
    let seeds = Self.seeds(for: reader)
    #expect(!seeds.isEmpty, "no seed files for \(reader.rawValue)")
    guard !seeds.isEmpty else { return }
    let clock = ContinuousClock()
    let deadline = clock.now + Self.budget
    var accepted = 0
    for seed in seeds where reader.exercise(seed) { accepted += 1 }
    #expect(
      accepted > 0 || reader == .sweep || reader == .precision,
      "no seed of \(reader.rawValue) reads")
    var mutator = Mutator(seed: Self.seed(for: reader) &+ Self.runSeed)
    for _ in 0..<Self.mutantCount where clock.now < deadline {
      let base = seeds[mutator.index(seeds.count)]
      let other = seeds[mutator.index(seeds.count)]
      let mutant = mutator.mutate(base, other: other, yaml: reader.isYAML)
      Self.dump(mutant, for: reader)
      reader.exercise(mutant)
    }
  }

  /// A fixed seed per reader (FNV-1a of its name).
  static func seed(for reader: FuzzedReader) -> UInt64 {
    reader.rawValue.utf8.reduce(0xcbf2_9ce4_8422_2325) {
      ($0 ^ UInt64($1)) &* 0x100_0000_01b3
    }
  }
}
