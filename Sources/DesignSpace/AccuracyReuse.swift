import BitAccurateExecution

/// The exact shortcuts an ``AccuracyEvaluator`` takes between the points of
/// a sweep.
///
/// None changes a figure: each gives the outputs of the point's whole run
/// bit for bit (issue #19 item 3).
///
/// "From scratch" is ``none``: every point runs from the input.
///
/// ```swift
/// let judge = try AccuracyEvaluator(network: net, evaluation: x, labels: y,
///   calibration: x, reuse: .none)
/// ```
public struct AccuracyReuse: Hashable, Sendable {
  /// The most bytes of live tensors kept for points that share a prefix of
  /// the network with earlier ones (``PrefixCache``; 0 keeps none).
  public var prefixCacheBytes: Int
  /// Whether a point whose resolved precision was measured already (the
  /// calibrated plan included) takes that figure instead of running.
  public var repeatedPlans: Bool
  /// Whether a run stops a chunk of samples once its live tensors equal
  /// the calibrated plan's run at the same boundary
  /// (``SuffixReference``).
  public var suffixConvergence: Bool

  /// The shortcuts; by default a 1 GiB prefix cache and repeated
  /// precisions measured once, without suffix convergence (on per-layer fl
  /// sweeps of MobileNetV2 no chunk met the calibrated run, and the
  /// fingerprints cost CPU; BENCHMARKS.md).
  public init(
    prefixCacheBytes: Int = 1 << 30, repeatedPlans: Bool = true,
    suffixConvergence: Bool = false
  ) {
    self.prefixCacheBytes = max(0, prefixCacheBytes)
    self.repeatedPlans = repeatedPlans
    self.suffixConvergence = suffixConvergence
  }

  /// No shortcut: every point runs from the input.
  public static let none = AccuracyReuse(
    prefixCacheBytes: 0, repeatedPlans: false, suffixConvergence: false)
}

/// How often an ``AccuracyEvaluator`` took each shortcut.
public struct AccuracyReuseCounts: Sendable {
  /// Runs that resumed from a cached prefix.
  public var prefixHits: Int
  /// Runs that started from the input.
  public var prefixMisses: Int
  /// Points answered without a run: their resolved precision was measured
  /// already.
  public var repeatedPlans: Int
  /// By the layer where runs departed from the calibrated plan (in the
  /// executor's order): how many chunks of samples met the calibrated
  /// plan's run before the end.
  public var convergence: [(layer: String, tally: ConvergenceTally)]

  /// Chunks run with convergence checks, and those that met the
  /// reference.
  public var chunks: (checked: Int, converged: Int) {
    convergence.reduce((0, 0)) {
      ($0.0 + $1.tally.chunks, $0.1 + $1.tally.converged)
    }
  }
}
