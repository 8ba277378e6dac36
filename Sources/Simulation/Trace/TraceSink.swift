/// Receives a run's trace events as the simulator produces them, in time
/// order per layer.
public protocol TraceSink {
  /// Records one event.
  mutating func record(_ event: TraceEvent)
}

/// Keeps every event in memory (tests, trace files).
public struct RecordingTraceSink: TraceSink, Sendable {
  /// The events, in the order recorded.
  public private(set) var events: [TraceEvent] = []

  /// Creates an empty sink.
  public init() {}

  /// Appends the event.
  public mutating func record(_ event: TraceEvent) { events.append(event) }
}

/// Drops every event (runs that need no trace, sweeps).
public struct NullTraceSink: TraceSink, Sendable {
  /// Creates the sink.
  public init() {}

  /// Does nothing.
  public mutating func record(_ event: TraceEvent) {}
}
