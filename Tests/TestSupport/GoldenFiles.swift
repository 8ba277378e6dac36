import Foundation
import Testing

/// A test target's folder of golden files.
///
/// Compares text with a file, or records it when `RECORD_GOLDEN=1`. Recording a missing file still fails
/// the test, so a forgotten golden cannot pass silently.
package struct GoldenFiles: Sendable {
  /// The folder holding the goldens.
  package var folder: URL
  /// Whether a missing golden is written (and the test fails) even without
  /// `RECORD_GOLDEN=1`, so the next run compares against it.
  package var writesMissing: Bool

  /// The goldens in `relativePath`, a folder beside the calling file.
  package init(
    _ relativePath: String, besideFile filePath: String = #filePath,
    writesMissing: Bool = false
  ) {
    folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
      .appendingPathComponent(relativePath)
    self.writesMissing = writesMissing
  }

  /// Whether this run records goldens (`RECORD_GOLDEN=1`).
  package static var recording: Bool {
    ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
  }

  /// The bytes of a file of the folder.
  package func bytes(_ relativePath: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: folder.appendingPathComponent(relativePath)))
  }

  /// Checks `actual` against the golden `relativePath`, or records it.
  package func check(
    _ actual: String, against relativePath: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = folder.appendingPathComponent(relativePath)
    let existing = try? String(contentsOf: url, encoding: .utf8)
    if Self.recording || (existing == nil && writesMissing) {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
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
      actual == existing,
      "golden \(relativePath) differs (RECORD_GOLDEN=1 re-records)",
      sourceLocation: sourceLocation)
  }
}
