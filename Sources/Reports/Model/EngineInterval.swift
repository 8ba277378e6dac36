/// One busy interval of an engine in a run's timeline: a tile or a group of
/// consecutive tiles of a layer.
public struct EngineInterval: Hashable, Sendable {
  /// The engines of the timeline, one lane each.
  public enum Engine: String, Hashable, Sendable, CaseIterable {
    /// Backing store → on-chip memory.
    case dmaIn = "dma in"
    /// The MAC array, lanes or units.
    case compute
    /// On-chip memory → backing store.
    case dmaOut = "dma out"
  }

  /// The layer's name.
  public var layer: String
  /// The engine.
  public var engine: Engine
  /// Start, seconds since the run began.
  public var start: Double
  /// Duration, seconds.
  public var duration: Double
  /// The first tile of the group (0-based within the layer).
  public var firstTile: Int
  /// Tiles in the group.
  public var tiles: Int

  /// Creates an interval.
  public init(
    layer: String, engine: Engine, start: Double, duration: Double,
    firstTile: Int = 0,
    tiles: Int = 1
  ) {
    self.layer = layer
    self.engine = engine
    self.start = start
    self.duration = duration
    self.firstTile = firstTile
    self.tiles = tiles
  }
}
