import Foundation
import Testing

/// Golden files of this target (`Golden/`): compares text with the file,
/// or records it when `RECORD_GOLDEN=1` (recording a missing file still
/// fails, so a forgotten golden cannot pass silently).
enum GoldenFile {
  static let folder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()
    .appendingPathComponent("Golden")

  static func check(
    _ actual: String, against name: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = folder.appendingPathComponent(name)
    let existing = try? String(contentsOf: url, encoding: .utf8)
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
      try actual.write(to: url, atomically: true, encoding: .utf8)
      if existing == nil {
        Issue.record(
          "recorded missing golden \(name); run again",
          sourceLocation: sourceLocation)
      }
      return
    }
    guard let existing else {
      Issue.record(
        "missing golden \(name); run with RECORD_GOLDEN=1 to record it",
        sourceLocation: sourceLocation)
      return
    }
    #expect(
      actual == existing, "golden \(name) differs (RECORD_GOLDEN=1 re-records)",
      sourceLocation: sourceLocation)
  }
}
