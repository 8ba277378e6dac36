import Foundation

/// The sweep's progress on standard error.
///
/// On a terminal: a bar with the rate and the time left, redrawn in place
/// at most ten times a second. Elsewhere (a Slurm or Kubernetes log, a
/// pipe): one plain line every ``Mode/lines(every:)`` seconds, so a log
/// shows the sweep advancing rather than nothing until the end. Quiet: no
/// progress at all.
struct SweepProgress {
  /// How progress is shown.
  enum Mode: Equatable {
    /// A bar redrawn in place (standard error is a terminal).
    case bar
    /// A line every so many seconds, and one at the end.
    case lines(every: Double)
    /// Nothing.
    case quiet

    /// The bar on a terminal, else lines every `interval` seconds.
    static func automatic(interval: Double) -> Mode {
      Terminal.standardErrorIsTerminal ? .bar : .lines(every: interval)
    }
  }

  let total: Int
  let mode: Mode
  let start = Date()
  private var lastDrawn = Date.distantPast

  init(total: Int, mode: Mode) {
    self.total = total
    self.mode = total > 0 ? mode : .quiet
    if case .lines = self.mode { lastDrawn = start }
  }

  /// Shows progress after `completed` points, if it is time to.
  mutating func update(completed: Int) {
    let now = Date()
    switch mode {
    case .quiet: return
    case .bar:
      guard completed == total || now.timeIntervalSince(lastDrawn) >= 0.1
      else { return }
      lastDrawn = now
      Terminal.standardErrorUnterminated(bar(completed: completed, now: now))
    case .lines(let interval):
      guard completed == total || now.timeIntervalSince(lastDrawn) >= interval
      else { return }
      lastDrawn = now
      Terminal.standardError(line(completed: completed, now: now))
    }
  }

  /// Ends the bar's line.
  func finish() {
    if mode == .bar { Terminal.standardErrorUnterminated("\n") }
  }

  /// The points per second so far, and the seconds left at that rate.
  private func pace(completed: Int, now: Date) -> (rate: Double, left: Double) {
    let elapsed = now.timeIntervalSince(start)
    let rate = elapsed > 0 ? Double(completed) / elapsed : 0
    return (rate, rate > 0 ? Double(total - completed) / rate : 0)
  }

  private func bar(completed: Int, now: Date) -> String {
    let (rate, left) = pace(completed: completed, now: now)
    let width = 30
    let filled = total > 0 ? min(width, completed * width / total) : width
    let bar =
      String(repeating: "#", count: filled)
      + String(repeating: "-", count: width - filled)
    return String(
      format: "\r[%@] %d/%d  %.1f points/s  ETA %@ ", bar, completed, total,
      rate, Self.clock(left))
  }

  private func line(completed: Int, now: Date) -> String {
    let (rate, left) = pace(completed: completed, now: now)
    return String(
      format: "progress: %d/%d points (%.1f%%), %.1f points/s, ETA %@",
      completed, total, Double(completed) / Double(max(1, total)) * 100, rate,
      Self.clock(left))
  }

  static func clock(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return "--:--" }
    let s = Int(seconds.rounded())
    return s >= 3600
      ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
      : String(format: "%d:%02d", s / 60, s % 60)
  }
}
