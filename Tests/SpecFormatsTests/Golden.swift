import Foundation
import TestSupport
import Testing

/// This target's fixtures and goldens (`Fixtures/`), checked or recorded with
/// `RECORD_GOLDEN=1` by the shared ``GoldenFiles``.
enum Golden {
  static let files = GoldenFiles("Fixtures")

  /// The folder holding this test target's fixtures.
  static var fixtures: URL { files.folder }

  /// Reads a fixture's bytes.
  static func bytes(_ relativePath: String) throws -> [UInt8] {
    try files.bytes(relativePath)
  }

  /// Checks `actual` against the golden file, or records it.
  static func check(
    _ actual: String, against relativePath: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    try files.check(
      actual, against: relativePath, sourceLocation: sourceLocation)
  }
}
