/// The layers a precision setting applies to.
public enum LayerSelector: Hashable, Sendable {
  /// Every layer of the model.
  case all
  /// The layers with these node names.
  case named([String])

  /// Whether the selector picks a layer.
  public func selects(_ layer: String) -> Bool {
    switch self {
    case .all: true
    case .named(let names): names.contains(layer)
    }
  }
}

/// Bits and, optionally, the fractional length of a layer's fixed-point
/// formats.
///
/// The simulator costs the bits (operand widths); the fractional length
/// matters only to accuracy, which the bit-accurate executor measures.
public struct PrecisionSetting: Hashable, Sendable {
  /// Bits of weights and activations (1...32).
  public var bits: Int
  /// Fractional length (`fl`), or `nil` for "chosen by calibration".
  public var fractionalLength: Int?

  /// Creates a setting.
  public init(bits: Int, fractionalLength: Int? = nil) {
    self.bits = bits
    self.fractionalLength = fractionalLength
  }

  /// `8` or `8/fl5`: the canonical text used in point identifiers.
  public var canonical: String {
    fractionalLength.map { "\(bits)/fl\($0)" } ?? "\(bits)"
  }
}

/// One precision axis: a layer or a group of layers, and the settings it
/// takes (the Cartesian product of the bits and fl values written).
///
/// ```yaml
/// - layers: [/conv1/Conv, /conv2/Conv]   # a group
///   bits: 8
///   fl: 2..7                             # six values on this axis
/// ```
public struct PrecisionAxis: Hashable, Sendable {
  /// The name the axis goes by in results: the layer, the group's name, or
  /// `all`.
  public var label: String
  /// The layers the axis sets.
  public var layers: LayerSelector
  /// The values of the axis, in order.
  public var settings: [PrecisionSetting]

  /// Creates an axis.
  public init(label: String, layers: LayerSelector, settings: [PrecisionSetting]) {
    self.label = label
    self.layers = layers
    self.settings = settings
  }
}
