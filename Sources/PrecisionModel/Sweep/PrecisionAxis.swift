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

/// Bits and, optionally, the fractional lengths of a layer's fixed-point
/// formats.
///
/// The simulator costs the bits (operand widths); the fractional lengths
/// matter only to accuracy, which the bit-accurate executor measures. A
/// fractional length left `nil` is chosen by calibration.
public struct PrecisionSetting: Hashable, Sendable {
  /// Bits of weights and activations (1...32).
  public var bits: Int
  /// The weights' fractional length, or `nil` for "chosen by calibration".
  public var weightFractionalLength: Int?
  /// The layer output's (activation's) fractional length, or `nil` for
  /// "chosen by calibration".
  public var activationFractionalLength: Int?

  /// Creates a setting.
  public init(
    bits: Int, weightFractionalLength: Int? = nil,
    activationFractionalLength: Int? = nil
  ) {
    self.bits = bits
    self.weightFractionalLength = weightFractionalLength
    self.activationFractionalLength = activationFractionalLength
  }

  /// Creates a setting whose weights and activations share one fractional
  /// length (a sweep file's `fl`).
  public init(bits: Int, fractionalLength: Int?) {
    self.init(
      bits: bits, weightFractionalLength: fractionalLength,
      activationFractionalLength: fractionalLength)
  }

  /// The canonical text used in point identifiers: `8`; `8/fl5` when the
  /// weights and activations share fl 5; otherwise `8/wfl7`, `8/afl3` or
  /// `8/wfl7/afl3`.
  public var canonical: String {
    switch (weightFractionalLength, activationFractionalLength) {
    case (nil, nil): "\(bits)"
    case (let w?, let a?) where w == a: "\(bits)/fl\(w)"
    case (let w?, nil): "\(bits)/wfl\(w)"
    case (nil, let a?): "\(bits)/afl\(a)"
    case (let w?, let a?): "\(bits)/wfl\(w)/afl\(a)"
    }
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
  public init(
    label: String, layers: LayerSelector, settings: [PrecisionSetting]
  ) {
    self.label = label
    self.layers = layers
    self.settings = settings
  }
}
