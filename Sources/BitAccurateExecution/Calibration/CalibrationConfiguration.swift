import FixedPointArithmetic
import PrecisionModel

/// The calibration objective (§8).
public enum CalibrationObjective: String, Hashable, Sendable, CaseIterable {
  /// Σ |y_float − y_fixed| (the default).
  case l1
  /// Σ (y_float − y_fixed)².
  case l2
}

/// Bit widths of one layer; `nil` takes the default.
public struct LayerBits: Hashable, Sendable {
  /// B_w.
  public var weight: Int?
  /// B of the layer's output.
  public var activation: Int?

  /// Creates per-layer widths.
  public init(weight: Int? = nil, activation: Int? = nil) {
    self.weight = weight
    self.activation = activation
  }
}

/// What to calibrate and how.
public struct CalibrationConfiguration: Hashable, Sendable {
  /// The method.
  public var method: CalibrationMethod
  /// The default weight width B_w.
  public var weightBits: Int
  /// The default activation width (also the input's unless ``inputBits``).
  public var activationBits: Int
  /// The input's width; `nil` takes ``activationBits``.
  public var inputBits: Int?
  /// Per-layer widths by node name (mixed precision, such as "conv 8,
  /// fc 4": `["fc": LayerBits(weight: 4)]`).
  public var layerBits: [String: LayerBits]
  /// The objective.
  public var objective: CalibrationObjective
  /// The candidate offsets around the centre fl₀ (§8: −2…+3).
  public var candidateOffsets: ClosedRange<Int>
  /// Everything but formats (rounding, overflow, accumulator, bias rule,
  /// residual, pooling), copied into the plan's default.
  public var arithmetic: LayerPrecision

  /// Creates a configuration; arithmetic defaults to §6.
  public init(
    method: CalibrationMethod = .qiu, weightBits: Int = 8,
    activationBits: Int = 8,
    inputBits: Int? = nil, layerBits: [String: LayerBits] = [:],
    objective: CalibrationObjective = .l1,
    candidateOffsets: ClosedRange<Int> = -2...3,
    arithmetic: LayerPrecision = LayerPrecision(
      bias: .accumulator, accumulator: AccumulatorSpec(policy: .saturateFinal),
      rounding: .requantizationDefault, overflow: .saturate)
  ) {
    self.method = method
    self.weightBits = weightBits
    self.activationBits = activationBits
    self.inputBits = inputBits
    self.layerBits = layerBits
    self.objective = objective
    self.candidateOffsets = candidateOffsets
    self.arithmetic = arithmetic
  }
}

/// One layer's calibration outcome.
public struct LayerCalibration: Hashable, Sendable {
  /// The node name.
  public var name: String
  /// The ONNX operator type.
  public var opType: String
  /// The chosen weight format, if the layer has weights.
  public var weight: QFormat?
  /// The chosen output format.
  public var activation: QFormat?
  /// The weight-phase objective at the chosen fl.
  public var weightError: Double?
  /// The data-phase objective at the chosen fl (`qiu` and `static`).
  public var activationError: Double?
  /// End-to-end SQNR of the output on the calibration set.
  public var sqnr: SignalToNoise?
  /// Overflow events of the layer on the calibration set.
  public var overflows: Int
}

/// A calibration's plan and report.
public struct CalibrationResult: Hashable, Sendable {
  /// The chosen precision, ready to render as YAML (§11).
  public var plan: PrecisionPlan
  /// One row per computing node, in execution order.
  public var layers: [LayerCalibration]
  /// The input's chosen format.
  public var input: QFormat
  /// Top-1 agreement of the fixed-point network with the float network on
  /// the calibration set.
  public var top1Agreement: Double
  /// Top-1 accuracy of float and fixed point when labels were given.
  public var floatTop1: Double?
  /// Top-1 accuracy of the fixed-point network when labels were given.
  public var top1: Double?
}
