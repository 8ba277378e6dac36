/// Renders EdgeSim's HTML reports: one self-contained page per run or
/// sweep, with inline SVG charts and no scripts or network access.
///
/// The output depends only on the input (fixed number formats, stable
/// orders, no dates), so the same run gives the same bytes. Every text that
/// comes from the user's files (layer, model and device names, precision
/// settings) is escaped, and characters XML forbids are replaced, so each
/// chart is well-formed XML.
///
/// ```swift
/// let html = HTMLReport.render(run)        // TraceReport from a trace
/// let page = HTMLReport.render(sweep)      // SweepReport from a results file
/// ```
///
/// Rendering does no I/O; the caller writes the string.
public enum HTMLReport {
  /// The report of one simulated run: totals, the energy split, per-layer
  /// stacked energy bars, the engines' timeline (the whole run and the
  /// three slowest layers up close) and the roofline.
  ///
  /// - Complexity: O(layers + intervals · log intervals).
  public static func render(_ run: TraceReport) -> String {
    TraceReportPage.render(run)
  }

  /// The report of a sweep: energy against latency coloured by top-1
  /// accuracy, accuracy against energy and against latency, the Pareto
  /// front (accuracy ↑, energy ↓, latency ↓) drawn and listed in full, and
  /// the precision search's chosen points marked.
  ///
  /// Large sweeps are thinned on the charts (one point per 5-pixel spot,
  /// the most accurate) but the front and the chosen points are always
  /// drawn, so the page stays small.
  ///
  /// - Complexity: O(n log n + n·f) for n points and a front of f points.
  public static func render(_ sweep: SweepReport) -> String {
    SweepReportPage.render(sweep)
  }
}
