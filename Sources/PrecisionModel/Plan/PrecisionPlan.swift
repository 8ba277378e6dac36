import Diagnostics
import FixedPointArithmetic

/// The precision file of FIXED_POINT.md §11 as a value: the input format,
/// the default formats per role and per-layer overrides.
///
/// ```yaml
/// input: {bits: 8, fl: 7}
/// default:
///   weight: {bits: 8, fl: 6}
///   activation: {bits: 8, fl: 4}
///   accumulator: {bits: 32, overflow: saturateFinal}
///   bias: accumulator            # or {bits: 16, fl: 8}
///   rounding: halfUp             # requantization (datapath) rounding
///   overflow: saturate           # storage overflow
/// layers:
///   conv1:
///     weight: {bits: 8, fl: 7}
/// ```
///
/// Layer entries override ``defaults`` role by role, and inside a role the
/// keys a layer leaves out come from the default's same role (§12.2); see
/// ``PrecisionPlan/merged(for:)``. A plan is checked against a network by
/// ``PrecisionPlan/resolve(for:)``, which reports every problem at once
/// (unknown layer, a format on a format-preserving node, bits or fl out of
/// range, symmetric with wrap, accumulator bounds).
///
/// The value carries optional source ``locations`` so that a YAML reader can
/// have problems reported at their line and column.
public struct PrecisionPlan: Hashable, Sendable {
  /// The network input's format; quantized with `halfEven` and `saturate`
  /// (§11, §12.1).
  public var input: FormatSpec
  /// The formats used by every layer not listed in ``layers``.
  public var defaults: LayerPrecision
  /// Per-layer overrides, by node name, in document order.
  public var layers: [LayerEntry]
  /// The run seed S of stochastic rounding (§7); written only when not 0.
  public var seed: UInt64
  /// Where each key was written, by dotted path (`input.bits`,
  /// `default.weight.fl`, `layers.conv1`, `layers.conv1.activation.fl`); filled
  /// by a YAML reader, empty otherwise.
  ///
  /// Problems are reported at the deepest path that has a location.
  public var locations: [String: SourceLocation]

  /// Creates a plan.
  public init(
    input: FormatSpec, defaults: LayerPrecision, layers: [LayerEntry] = [],
    seed: UInt64 = 0, locations: [String: SourceLocation] = [:]
  ) {
    self.input = input
    self.defaults = defaults
    self.layers = layers
    self.seed = seed
    self.locations = locations
  }

  /// A uniform plan: every tensor B bits with the given fls, the §6
  /// defaults for everything else (bias on the accumulator grid,
  /// accumulator width by the §6 rule, `halfUp` requantization,
  /// `saturate`).
  public static func uniform(
    bits: Int, inputFractionalLength: Int, weightFractionalLength: Int,
    activationFractionalLength: Int
  ) -> PrecisionPlan {
    PrecisionPlan(
      input: FormatSpec(bits: bits, fractionalLength: inputFractionalLength),
      defaults: LayerPrecision(
        weight: FormatSpec(
          bits: bits, fractionalLength: weightFractionalLength),
        bias: .accumulator,
        activation: FormatSpec(
          bits: bits, fractionalLength: activationFractionalLength),
        accumulator: AccumulatorSpec(bits: nil, policy: .saturateFinal),
        rounding: .requantizationDefault, overflow: .saturate))
  }

  /// The entry for a layer, or `nil` when it uses ``defaults``.
  public func entry(named name: String) -> LayerPrecision? {
    layers.last { $0.name == name }?.precision
  }

  /// Sets (or replaces) a layer's entry, keeping document order.
  public mutating func setEntry(_ precision: LayerPrecision, for name: String) {
    if let index = layers.firstIndex(where: { $0.name == name }) {
      layers[index].precision = precision
    } else {
      layers.append(LayerEntry(name: name, precision: precision))
    }
  }

  /// The layer's precision merged over ``defaults`` (§12.2): each role the
  /// layer gives overrides the default's, key by key.
  public func merged(for name: String) -> LayerPrecision {
    guard let entry = entry(named: name) else { return defaults }
    return entry.merged(over: defaults)
  }
}

/// One `layers:` entry: a node name and its overrides.
public struct LayerEntry: Hashable, Sendable {
  /// The node name (the ONNX node name, or the YAML workload's layer name).
  public var name: String
  /// The roles it overrides.
  public var precision: LayerPrecision

  /// Creates an entry.
  public init(name: String, precision: LayerPrecision) {
    self.name = name
    self.precision = precision
  }
}

/// A format as a precision file writes it (§11): `{bits: 8, fl: 6}`, with
/// optional `signed`, `symmetric` and a per-role `overflow`.
///
/// Every key is optional, because a layer entry may give only some keys and
/// take the rest from the default's same role (§12.2).
public struct FormatSpec: Hashable, Sendable {
  /// Storage bits B (§1: [2, 32], 1 allowed for unsigned).
  public var bits: Int?
  /// Fractional length fl (§1: [−32, 64]).
  public var fractionalLength: Int?
  /// Whether raws are signed; `nil` means signed (§6).
  public var signed: Bool?
  /// Whether the signed range is symmetric (§1; `saturate` only, §12.8).
  public var symmetric: Bool?
  /// This role's storage overflow policy; `nil` takes the layer's `overflow`.
  public var overflow: OverflowPolicy?

  /// Creates a format spec.
  public init(
    bits: Int? = nil, fractionalLength: Int? = nil, signed: Bool? = nil,
    symmetric: Bool? = nil, overflow: OverflowPolicy? = nil
  ) {
    self.bits = bits
    self.fractionalLength = fractionalLength
    self.signed = signed
    self.symmetric = symmetric
    self.overflow = overflow
  }

  /// Creates the spec of a validated format.
  public init(_ format: QFormat, overflow: OverflowPolicy? = nil) {
    self.init(
      bits: format.bits, fractionalLength: format.fractionalLength,
      signed: format.isSigned ? nil : false,
      symmetric: format.isSymmetric ? true : nil,
      overflow: overflow)
  }

  /// This spec with the keys it leaves out taken from `base` (§12.2).
  public func merged(over base: FormatSpec?) -> FormatSpec {
    FormatSpec(
      bits: bits ?? base?.bits,
      fractionalLength: fractionalLength ?? base?.fractionalLength,
      signed: signed ?? base?.signed, symmetric: symmetric ?? base?.symmetric,
      overflow: overflow ?? base?.overflow)
  }
}

/// The accumulator of a layer (§5, §11): width A and policy.
public struct AccumulatorSpec: Hashable, Sendable {
  /// A; `nil` takes the §6 rule (32 if B_w + B_x ≤ 16, else 48).
  public var bits: Int?
  /// The policy (`saturateFinal`, `wrap`, `saturateEachStep`); `nil` means
  /// the default's, or `saturateFinal`.
  public var policy: AccumulatorPolicy?

  /// Creates an accumulator spec.
  public init(bits: Int? = nil, policy: AccumulatorPolicy? = nil) {
    self.bits = bits
    self.policy = policy
  }
}

/// Where a layer's bias lives (§5 Bias, §11 `bias:`).
public enum BiasSpec: Hashable, Sendable {
  /// On the accumulator grid (A bits, fl_w + fl_x), quantized straight to
  /// it with `halfEven`, `saturate` (the default, §6).
  case accumulator
  /// In its own storage format, aligned into the accumulator (Qiu's bias
  /// shift; Ristretto uses the weight format).
  case format(FormatSpec)
}

/// The precision of one layer, or of the `default:` block (§11).
///
/// Every field is optional: `nil` in a layer entry means "as the default";
/// `nil` in the default means the §6 default where one exists (bias on the
/// accumulator grid, `halfUp`, `saturate`, `saturateFinal`, the §6 width).
public struct LayerPrecision: Hashable, Sendable {
  /// The weight format (Conv, Gemm, constant MatMul/Add/Mul operands).
  public var weight: FormatSpec?
  /// The bias rule.
  public var bias: BiasSpec?
  /// The output (activation) format of computing nodes.
  public var activation: FormatSpec?
  /// The accumulator.
  public var accumulator: AccumulatorSpec?
  /// The requantization (datapath) rounding; default `halfUp` (§6).
  public var rounding: RoundingMode?
  /// The storage overflow policy; default `saturate` (§6).
  public var overflow: OverflowPolicy?
  /// How Add aligns its inputs (§5); default `alignUp`.
  ///
  /// Written as `residual: alignToOutput`.
  public var residual: ResidualAlignment?
  /// How average pooling divides (§5); default exact.
  ///
  /// Written as `pooling: exact` or `pooling: {reciprocal: 16}`.
  public var pooling: AveragePoolDivision?
  /// How non-linear functions compute; default `float` (islands).
  ///
  /// Written as `nonlinear: integer`.
  public var nonlinear: NonlinearArithmetic?
  /// The formats of a multi-output node's outputs after the first, by
  /// tensor name (LSTM's Y_h and Y_c, GRU's Y_h), in file order; keys left
  /// out come from the layer's `activation`, and an output not listed
  /// takes `activation` whole.
  ///
  /// Written as `outputs: {Y_c: {bits: 16, fl: 12}}`.
  public var outputs: [OutputFormat] = []

  /// Creates a layer precision; every role defaults to `nil`.
  public init(
    weight: FormatSpec? = nil, bias: BiasSpec? = nil,
    activation: FormatSpec? = nil,
    accumulator: AccumulatorSpec? = nil, rounding: RoundingMode? = nil,
    overflow: OverflowPolicy? = nil, residual: ResidualAlignment? = nil,
    pooling: AveragePoolDivision? = nil, nonlinear: NonlinearArithmetic? = nil
  ) {
    self.weight = weight
    self.bias = bias
    self.activation = activation
    self.accumulator = accumulator
    self.rounding = rounding
    self.overflow = overflow
    self.residual = residual
    self.pooling = pooling
    self.nonlinear = nonlinear
  }

  /// Whether the entry sets a format role (weight, bias, activation or
  /// accumulator), which a format-preserving node may not have (§12.6).
  public var setsFormat: Bool {
    weight != nil || bias != nil || activation != nil || accumulator != nil
      || !outputs.isEmpty
  }

  /// This entry over `base`, role by role and key by key (§12.2).
  public func merged(over base: LayerPrecision) -> LayerPrecision {
    var result = base
    if let weight { result.weight = weight.merged(over: base.weight) }
    if let activation {
      result.activation = activation.merged(over: base.activation)
    }
    if let bias {
      switch (bias, base.bias) {
      case (.format(let own), .format(let inherited)?):
        result.bias = .format(own.merged(over: inherited))
      default: result.bias = bias
      }
    }
    if let accumulator {
      result.accumulator = AccumulatorSpec(
        bits: accumulator.bits ?? base.accumulator?.bits,
        policy: accumulator.policy ?? base.accumulator?.policy)
    }
    if let rounding { result.rounding = rounding }
    if let overflow { result.overflow = overflow }
    if let residual { result.residual = residual }
    if let pooling { result.pooling = pooling }
    if let nonlinear { result.nonlinear = nonlinear }
    if !outputs.isEmpty {
      result.outputs = outputs.map {
        OutputFormat(
          name: $0.name, format: $0.format.merged(over: result.activation))
      }
    }
    return result
  }
}

/// One output's format in a layer entry's `outputs:` (a multi-output
/// node's outputs after the first).
public struct OutputFormat: Hashable, Sendable {
  /// The output tensor's name.
  public var name: String
  /// Its format.
  public var format: FormatSpec

  /// Creates an output format.
  public init(name: String, format: FormatSpec) {
    self.name = name
    self.format = format
  }
}
