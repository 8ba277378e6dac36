import Foundation

/// The sweep's progress line on standard error: a bar, the rate and the time
/// left, redrawn at most ten times a second, and only when standard error is
/// a terminal (never in logs or pipes).
struct SweepProgress {
  let total: Int
  let enabled: Bool
  let start = Date()
  private var lastDrawn = Date.distantPast

  init(total: Int) {
    self.total = total
    enabled = Terminal.standardErrorIsTerminal && total > 0
  }

  /// Redraws the line after `completed` points.
  mutating func update(completed: Int) {
    guard enabled else { return }
    let now = Date()
    guard completed == total || now.timeIntervalSince(lastDrawn) >= 0.1 else {
      return
    }
    lastDrawn = now
    let elapsed = now.timeIntervalSince(start)
    let rate = elapsed > 0 ? Double(completed) / elapsed : 0
    let width = 30
    let filled = total > 0 ? min(width, completed * width / total) : width
    let bar =
      String(repeating: "#", count: filled)
      + String(repeating: "-", count: width - filled)
    let left = rate > 0 ? Double(total - completed) / rate : 0
    let line = String(
      format: "\r[%@] %d/%d  %.1f points/s  ETA %@ ", bar, completed, total,
      rate,
      Self.clock(left))
    Terminal.standardErrorUnterminated(line)
  }

  /// Ends the line.
  func finish() {
    guard enabled else { return }
    Terminal.standardErrorUnterminated("\n")
  }

  static func clock(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return "--:--" }
    let s = Int(seconds.rounded())
    return s >= 3600
      ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
      : String(format: "%d:%02d", s / 60, s % 60)
  }
}
