import PrecisionModel

/// One design point: a model on a device with a batch, per-layer precision
/// settings and hardware overrides.
///
/// Its ``id`` is derived from its parameters alone (``canonical``), so the
/// same point has the same identifier in any sweep, shard or run; a results
/// store keys on it to resume and to merge.
public struct DesignPoint: Hashable, Sendable {
  /// The point's number in its plan (see ``SweepPlan``).
  public var index: Int
  /// The number of the point's study in its plan (which accuracy set
  /// applies); like ``index``, not a parameter.
  public var study: Int = 0
  /// The model, as the sweep file names it.
  public var model: String
  /// The device, as the sweep file names it.
  public var device: String
  /// Inferences per run.
  public var batch: Int
  /// Bits of layers no precision axis names (`nil`: the device's native
  /// precision, when there are no precision settings).
  public var defaultBits: Int?
  /// The precision settings, one per axis of the study, in axis order.
  public var precision: [PrecisionChoiceOfAxis]
  /// The compression settings, one per compression axis of the study, in
  /// axis order (empty: the model's weights as they are).
  public var compression: [CompressionChoiceOfAxis] = []
  /// Whether compressed layers are Huffman coded (COMPRESSION.md §4).
  public var huffman: Bool = false
  /// The hardware overrides, one per axis of the study, in axis order.
  public var hardware: [HardwareOverride]

  /// Creates a point.
  public init(
    index: Int, model: String, device: String, batch: Int,
    defaultBits: Int? = nil,
    precision: [PrecisionChoiceOfAxis] = [], hardware: [HardwareOverride] = []
  ) {
    self.index = index
    self.model = model
    self.device = device
    self.batch = batch
    self.defaultBits = defaultBits
    self.precision = precision
    self.hardware = hardware
  }

  /// The parameters as one line of text, in a fixed order and format:
  /// `model=m;device=d;batch=1;default_bits=8;precision[conv1]=8/fl5;huffman=1;compression[all/density]=0.5;hardware[clock]=1.5e8`.
  ///
  /// Numbers use Swift's shortest round-trip decimal form, which is fixed
  /// by IEEE 754, so the text (and the ``id``) is the same everywhere.
  public var canonical: String {
    var parts = ["model=\(model)", "device=\(device)", "batch=\(batch)"]
    if let defaultBits { parts.append("default_bits=\(defaultBits)") }
    for choice in precision {
      parts.append("precision[\(choice.axis)]=\(choice.setting.canonical)")
    }
    if huffman { parts.append("huffman=1") }
    for choice in compression {
      parts.append(
        "compression[\(choice.axis)/\(choice.key.rawValue)]=\(choice.level.canonical)"
      )
    }
    for override in hardware {
      parts.append(
        "hardware[\(override.parameter.name)]=\(override.canonicalValue)")
    }
    return parts.joined(separator: ";")
  }

  /// The stable identifier: FNV-1a of ``canonical``, 16 hexadecimal digits.
  public var id: String { StableHash.hex(StableHash.fnv1a(canonical)) }

}

/// The setting a precision axis takes at a point.
public struct PrecisionChoiceOfAxis: Hashable, Sendable {
  /// The axis's label (layer, group name or `all`).
  public var axis: String
  /// The layers it sets.
  public var layers: LayerSelector
  /// The setting.
  public var setting: PrecisionSetting

  /// Creates the choice.
  public init(axis: String, layers: LayerSelector, setting: PrecisionSetting) {
    self.axis = axis
    self.layers = layers
    self.setting = setting
  }
}

/// The value a hardware axis takes at a point.
public struct HardwareOverride: Hashable, Sendable {
  /// The parameter.
  public var parameter: HardwareParameter
  /// Its value in base units.
  public var value: Double

  /// Creates the override.
  public init(parameter: HardwareParameter, value: Double) {
    self.parameter = parameter
    self.value = value
  }

  /// The value as point identifiers write it: whole numbers without a
  /// fraction (`64`, not `64.0`), others in shortest round-trip form.
  public var canonicalValue: String {
    if value == value.rounded(), abs(value) < 1e15 {
      return String(Int64(value))
    }
    return "\(value)"
  }
}
