import PrecisionModel

/// A sweep: studies of models × devices × axes, and how to pick points.
///
/// A plan is what a sweep file says, checked for form but not yet against
/// models or devices (those are files the command line loads). Points are
/// numbered: study by study, and within a study in the order models,
/// devices, batches, precision axes, compression axes, hardware axes, the
/// last changing
/// fastest. A point's number depends on the plan; its ``DesignPoint/id``
/// depends only on its parameters.
///
/// ```swift
/// let plan = SweepPlan(name: "fl", studies: [study], strategy: .grid)
/// for point in plan.points(in: .whole) { … }
/// ```
public struct SweepPlan: Hashable, Sendable {
  /// The sweep's name (for reports).
  public var name: String
  /// The studies, each a grid of its own.
  public var studies: [Study]
  /// How points are chosen from the grids.
  public var strategy: SweepStrategy

  /// Creates a plan.
  public init(name: String, studies: [Study], strategy: SweepStrategy = .grid) {
    self.name = name
    self.studies = studies
    self.strategy = strategy
  }
}

/// One grid: every combination of its models, devices, batches and axis
/// values.
public struct Study: Hashable, Sendable {
  /// Models, as the sweep file names them (a bundled name or a path).
  public var models: [String]
  /// Devices, as the sweep file names them (a bundled name or a path).
  public var devices: [String]
  /// Batch sizes (each ≥ 1).
  public var batches: [Int]
  /// Bits of every layer no precision axis names; `nil` leaves the device's
  /// native precision when there are no precision axes, and 8 bits when
  /// there are.
  public var defaultBits: Int?
  /// Precision axes, applied in order (a later axis wins for a layer two
  /// axes name).
  public var precisionAxes: [PrecisionAxis]
  /// Compression axes, applied in order (a later axis wins for a key of a
  /// layer two axes set); empty: the models' weights as they are.
  public var compressionAxes: [CompressionAxis] = []
  /// Whether compressed layers are Huffman coded (COMPRESSION.md §4).
  public var huffman: Bool = false
  /// Hardware axes, applied in order to each device.
  public var hardwareAxes: [HardwareAxis]
  /// Where the study measures top-1 accuracy with the bit-accurate
  /// executor; `nil` leaves `top1` empty.
  public var accuracy: AccuracySpec?

  /// Creates a study.
  public init(
    models: [String], devices: [String], batches: [Int] = [1],
    defaultBits: Int? = nil,
    precisionAxes: [PrecisionAxis] = [], hardwareAxes: [HardwareAxis] = [],
    accuracy: AccuracySpec? = nil
  ) {
    self.models = models
    self.devices = devices
    self.batches = batches
    self.defaultBits = defaultBits
    self.precisionAxes = precisionAxes
    self.hardwareAxes = hardwareAxes
    self.accuracy = accuracy
  }

  /// The number of points in the grid, or `nil` if it overflows `Int`.
  public var count: Int? {
    var sizes = [models.count, devices.count, batches.count]
    sizes += precisionAxes.map(\.settings.count)
    sizes += compressionAxes.map(\.levels.count)
    sizes += hardwareAxes.map(\.values.count)
    var product = 1
    for size in sizes {
      let (next, overflow) = product.multipliedReportingOverflow(by: size)
      if overflow { return nil }
      product = next
    }
    return product
  }
}

/// How a sweep chooses its points.
public enum SweepStrategy: Hashable, Sendable {
  /// Every point of every study.
  case grid
  /// `count` distinct points drawn uniformly from all the grids with a
  /// seeded generator (every point when `count` is at least the total).
  case random(count: Int, seed: UInt64)
  /// The energy-aware precision search (``PrecisionSearch``): for each
  /// model, device, batch and hardware setting, a greedy walk over the
  /// precision axes that minimises the objective while top-1 stays within
  /// the budget.
  case search(SearchGoal)
}

/// What the precision search minimises, and under which accuracy budget.
public struct SearchGoal: Hashable, Sendable {
  /// The figure to minimise.
  public var objective: SearchObjective
  /// The most top-1 may fall below the float model's, in percentage points
  /// (1.0: at most one point below float).
  public var maxAccuracyDrop: Double

  /// Creates a goal.
  public init(objective: SearchObjective = .energy, maxAccuracyDrop: Double) {
    self.objective = objective
    self.maxAccuracyDrop = maxAccuracyDrop
  }
}

/// A figure the precision search minimises.
public enum SearchObjective: String, Hashable, Sendable, CaseIterable {
  /// Energy per inference.
  case energy
  /// Latency of the batch.
  case latency

  /// The point's value of the objective, when it was simulated.
  public func value(of metrics: PointMetrics) -> Double {
    switch self {
    case .energy: metrics.energy
    case .latency: metrics.latency
    }
  }
}
