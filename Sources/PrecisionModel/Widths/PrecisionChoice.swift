import HardwareModel

/// The precision a run computes in.
public enum PrecisionChoice: Hashable, Sendable {
  /// The device's native precision (``Compute/nativePrecision``).
  case native
  /// One precision for every layer.
  case uniform(Precision)
  /// Widths per layer name (from a precision file), with a default.
  case perLayer(default: LayerWidths, layers: [String: LayerWidths])
}
