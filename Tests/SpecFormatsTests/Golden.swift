import Foundation
import Testing

/// Golden-file support: compares text with a file beside the fixtures, and
/// records it when `RECORD_GOLDEN=1` (recording a missing file still fails the
/// test, so a forgotten golden cannot pass silently).
enum Golden {
  /// The folder holding this test target's fixtures.
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  /// Reads a fixture's bytes.
  static func bytes(_ relativePath: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(relativePath)))
  }

  /// Checks `actual` against the golden file, or records it.
  static func check(
    _ actual: String, against relativePath: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = fixtures.appendingPathComponent(relativePath)
    let recording = ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
    let existing = try? String(contentsOf: url, encoding: .utf8)
    if recording {
      try actual.write(to: url, atomically: true, encoding: .utf8)
      if existing == nil {
        Issue.record(
          "recorded missing golden \(relativePath); run again",
          sourceLocation: sourceLocation)
      }
      return
    }
    guard let existing else {
      Issue.record(
        "missing golden \(relativePath); run with RECORD_GOLDEN=1 to record it",
        sourceLocation: sourceLocation)
      return
    }
    #expect(
      actual == existing, "golden \(relativePath) differs",
      sourceLocation: sourceLocation)
  }
}
