/// The engines of a layer's timeline.
public enum Engine: String, Hashable, Sendable, CaseIterable {
  /// Transfers from the backing store into on-chip memory.
  case dmaIn
  /// The MAC array, lanes or units.
  case compute
  /// Transfers from on-chip memory back to the backing store.
  case dmaOut
}

/// One busy interval of an engine: a tile, or a group of consecutive tiles.
public struct TraceEvent: Hashable, Sendable {
  /// The layer's name.
  public var layer: String
  /// The engine.
  public var engine: Engine
  /// The first tile of the group (0-based within the layer).
  public var tile: Int
  /// Tiles in the group.
  public var tiles: Int
  /// Start, seconds since the run began.
  public var start: Double
  /// Duration, seconds.
  public var duration: Double
  /// Bytes moved (transfers) or MACs done (compute).
  public var amount: Int

  /// Creates an event.
  public init(
    layer: String, engine: Engine, tile: Int, tiles: Int = 1, start: Double,
    duration: Double,
    amount: Int = 0
  ) {
    self.layer = layer
    self.engine = engine
    self.tile = tile
    self.tiles = tiles
    self.start = start
    self.duration = duration
    self.amount = amount
  }
}
