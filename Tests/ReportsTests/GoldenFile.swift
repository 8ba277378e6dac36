import TestSupport
import Testing

/// Golden files of this target (`Golden/`), checked or recorded with
/// `RECORD_GOLDEN=1` by the shared ``GoldenFiles``.
enum GoldenFile {
  static let files = GoldenFiles("Golden")

  static func check(
    _ actual: String, against name: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    try files.check(actual, against: name, sourceLocation: sourceLocation)
  }
}
